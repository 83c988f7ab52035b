// util::LineReader: bounded lines, and a pipe's line returned as soon as it is there.

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "aiadvise/util/line_reader.hpp"

using aiadvise::util::LineReader;

// A producer that writes a line and waits for its answer (a coprocess) must get it: the reader
// returns the line without waiting for a full buffer or the end of the input. The writing end is
// closed after 5 seconds at the latest, so a reader that waits for more fails rather than hangs.
TEST_CASE("line reader: a pipe's line is returned before the writer closes the pipe", "[util][batch]") {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  std::FILE* in = fdopen(fds[0], "rb");
  REQUIRE(in != nullptr);
  const std::string first = "{\"model\":\"xgboost\"}\n";
  REQUIRE(write(fds[1], first.data(), first.size()) == static_cast<ssize_t>(first.size()));
  std::atomic<bool> closed{false}, read_first{false};
  std::thread closer([&] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!read_first && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    closed = true;
    close(fds[1]);
  });
  LineReader reader(in, 1024);
  std::string line;
  CHECK(reader.next(line) == LineReader::Status::line);
  CHECK_FALSE(closed.load());  // returned while the writer still held the pipe open
  read_first = true;
  CHECK(line == "{\"model\":\"xgboost\"}");
  CHECK(reader.drained());
  closer.join();
  CHECK(reader.next(line) == LineReader::Status::end);
  std::fclose(in);
}

TEST_CASE("line reader: lines over the cap are reported, the rest returned, and the count kept", "[util][batch]") {
  const std::string text = "a\r\n" + std::string(50, 'x') + "\nlast";
  std::FILE* in = fmemopen(const_cast<char*>(text.data()), text.size(), "rb");
  REQUIRE(in != nullptr);
  LineReader reader(in, 10);
  std::string line;
  CHECK(reader.next(line) == LineReader::Status::line);
  CHECK(line == "a");
  CHECK(reader.next(line) == LineReader::Status::too_long);
  CHECK(line.empty());
  CHECK(reader.next(line) == LineReader::Status::line);
  CHECK(line == "last");
  CHECK(reader.line_number() == 3);
  CHECK(reader.next(line) == LineReader::Status::end);
  std::fclose(in);
}
