// repl.h: the loop of the interactive subcommands (queue, pqueue, barrier,
// dbarrier): one command per stdin line, one result line on stdout.
//
// Lines are split on blanks; empty lines are skipped; "quit" or end of input
// ends the loop. A handler's Failure prints "error: <message>" as that
// line's result and the loop goes on (bad input never ends the session and
// never writes anything). Output is flushed after every line so that pipes
// see results at once.
// Thread-safety: runs on the calling thread.
#pragma once

#include <functional>
#include <iostream>
#include <string>
#include <vector>

namespace coord::cli {

// ReplHandler runs one command; it returns the line to print.
using ReplHandler = std::function<std::string(const std::vector<std::string>& words)>;

// run_repl runs the loop until "quit" or end of input. Returns the number of
// lines that failed.
int run_repl(std::istream& in, std::ostream& out, const ReplHandler& handler);

// expect_words throws a Failure unless words.size() == n ("usage: <usage>").
void expect_words(const std::vector<std::string>& words, std::size_t n, const std::string& usage);

}  // namespace coord::cli
