# aiadvise as a container image: Debian 12 builds it, the final image holds only the binary and
# the shared libraries it loads (libc, libm, libstdc++, libgcc_s; fmt and spdlog are compiled in).
#   docker build -t aiadvise .
#   docker run --rm -v "$PWD:/work" -w /work aiadvise check --project aiadvise.json --terraform-plan plan.json
# The final stage's files are laid out by scripts/container-rootfs.sh, which the test suite runs
# and checks with chroot (install.container_rootfs), since the test machines run no container engine.

FROM debian:12 AS build
ARG DEBIAN_FRONTEND=noninteractive
RUN apt-get update -qq \
 && apt-get install -y -qq --no-install-recommends build-essential cmake ninja-build pkg-config \
      libcli11-dev nlohmann-json3-dev libfmt-dev libspdlog-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DAIADVISE_BUILD_TESTS=OFF -DAIADVISE_MAN=OFF \
 && cmake --build build --target aiadvise \
 && build/aiadvise --version \
 && scripts/container-rootfs.sh build/aiadvise /rootfs

FROM scratch
COPY --from=build /rootfs/ /
WORKDIR /work
ENTRYPOINT ["/usr/local/bin/aiadvise"]
CMD ["--help"]
