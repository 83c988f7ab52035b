#include "aiadvise/cli/app.hpp"
#include "aiadvise/util/heap.hpp"

int main(int argc, char** argv) {
  // A run allocates a few megabytes in small pieces; on a virtual machine each 4 KiB page of them
  // faulted in costs about 10 us, more than the run's own work (docs/performance.md). The heap is
  // grown once and advised for huge pages instead.
  aiadvise::util::prepare_heap(std::size_t{64} << 20);
  return aiadvise::cli::run(argc, argv);
}
