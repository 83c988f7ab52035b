#include "aiadvise/cli/app.hpp"

int main(int argc, char** argv) { return aiadvise::cli::run(argc, argv); }
