# syntax=docker/dockerfile:1
# Images of the PEEL suite: one build stage compiles every binary, then one
# small target per binary on a slim Debian 12 runtime that carries only the
# shared libraries they load, running as an unprivileged user.
#
#   tools/build-image            # all six with podman or docker (k8s/README.md)
#   docker build --target crime-recording -t peel/crime-recording:dev .
#   (likewise victim-service, workforce, soc-disruptions, gateway, peelctl)
#
# The runtime libraries are exactly the Debian 12 packages of the versions
# the build links against (gRPC 1.51, protobuf 3.21, Abseil 20220623,
# RocksDB 7.8, OpenSSL 3's libcrypto); apt pulls their own dependencies
# (c-ares, re2, zstd...).

ARG DEBIAN=debian:12

FROM ${DEBIAN} AS build
# The same packages as tools/install-deps, less the ones only tests and the
# demo use at run time (PostgreSQL, Chromium, python3-grpcio, clang).
# Configuring the tree needs every library CMake looks for, even those of
# targets not built here: GTest and benchmark (tests), libpq-dev
# (tools/bench's suite_bench; without it cmake stops at
# pkg_check_modules(libpq)) and libssl-dev (common/auth's libcrypto).
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config \
      libgrpc++-dev protobuf-compiler-grpc protobuf-compiler libprotobuf-dev \
      libabsl-dev librocksdb-dev grpc-proto libssl-dev \
      libgtest-dev libgmock-dev libbenchmark-dev libpq-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Warnings stay warnings here: a newer compiler in a rebuilt base image must
# not stop an image build. CI builds with -Werror.
# JOBS limits the compile jobs (--build-arg JOBS=1 on a shared machine;
# tools/build-image --jobs=N); empty, Ninja uses every core plus two.
ARG JOBS=
RUN cmake -S . -B /build -G Ninja -DCMAKE_BUILD_TYPE=Release -DPEEL_WERROR=OFF \
 && cmake --build /build ${JOBS:+--parallel ${JOBS}} \
      --target crime-recording victim-service workforce \
      soc-disruptions gateway peelctl \
 && mkdir -p /out \
 && cp /build/services/crime-recording/crime-recording \
       /build/services/victim-service/victim-service \
       /build/services/workforce/workforce \
       /build/services/soc-disruptions/soc-disruptions \
       /build/services/gateway/gateway \
       /build/tools/peelctl/peelctl /out/ \
 && strip --strip-unneeded /out/*

FROM ${DEBIAN}-slim AS runtime
# apt-get clean: on a base without Docker Hub's apt settings (a plain
# debootstrapped tree; tools/build-image gives its bases those settings) the
# downloaded .debs and apt's caches, 87 MB, would otherwise stay in this layer.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libgrpc++1.51 libgrpc29 libprotobuf32 libabsl20220623 librocksdb7.8 libssl3 \
 && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
 && groupadd --system --gid 10001 peel \
 && useradd --system --uid 10001 --gid 10001 --no-create-home \
      --home-dir /nonexistent --shell /usr/sbin/nologin peel \
 && mkdir -p /var/lib/peel && chown 10001:10001 /var/lib/peel
# Numeric, so Kubernetes' runAsNonRoot can verify it without /etc/passwd.
USER 10001:10001
# Each target's ENTRYPOINT gives the binary its default port and a data
# directory under /var/lib/peel; on Kubernetes the container's args add
# --tryfromenv=... and FLAGS_* variables override these (k8s/base).
WORKDIR /var/lib/peel

FROM runtime AS crime-recording
COPY --from=build /out/crime-recording /usr/local/bin/crime-recording
EXPOSE 50051 9090
ENTRYPOINT ["/usr/local/bin/crime-recording", "--port=50051", "--data_dir=/var/lib/peel/crime-recording"]

FROM runtime AS victim-service
COPY --from=build /out/victim-service /usr/local/bin/victim-service
EXPOSE 50052 9090
ENTRYPOINT ["/usr/local/bin/victim-service", "--port=50052", "--data_dir=/var/lib/peel/victim-service"]

FROM runtime AS workforce
COPY --from=build /out/workforce /usr/local/bin/workforce
EXPOSE 50053 9090
ENTRYPOINT ["/usr/local/bin/workforce", "--port=50053", "--data_dir=/var/lib/peel/workforce"]

FROM runtime AS soc-disruptions
COPY --from=build /out/soc-disruptions /usr/local/bin/soc-disruptions
EXPOSE 50054 9090
ENTRYPOINT ["/usr/local/bin/soc-disruptions", "--port=50054", "--data_dir=/var/lib/peel/soc-disruptions"]

FROM runtime AS peelctl
COPY --from=build /out/peelctl /usr/local/bin/peelctl
ENTRYPOINT ["/usr/local/bin/peelctl"]

# Last, so a plain `docker build .` gives the gateway. The grading policy
# ships in the image; on Kubernetes the ConfigMap mounted over
# /etc/peel/policy takes its place.
FROM runtime AS gateway
COPY --from=build /out/gateway /usr/local/bin/gateway
COPY services/gateway/policy/ /etc/peel/policy/
EXPOSE 50050 9090
ENTRYPOINT ["/usr/local/bin/gateway", "--port=50050", "--data_dir=/var/lib/peel/gateway", "--policy=/etc/peel/policy/peel-2021-22.textproto"]
