#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <random>

// A loopback port for a test to hand a server that must be told its port in
// advance (metrics and health ports, addresses other processes are given).
namespace peel::testing {

// Linux hands out ports 32768-60999 for port-0 binds and outgoing
// connections, so a port taken from that range and released can be handed to
// a parallel test before our server binds it (it happened in CI:
// "metrics: cannot listen on 127.0.0.1:52417"). This picks from 20000-32767
// instead, which the kernel never hands out by itself, and checks that it
// binds; only another test picking at random can collide, and rarely.
inline int FreePort() {
  static std::mt19937 rng(std::random_device{}());
  std::uniform_int_distribution<int> pick(20000, 32767);
  for (int attempt = 0; attempt < 64; ++attempt) {
    const int port = pick(rng);
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) break;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    if (ok) return port;
  }
  return 0;
}

}  // namespace peel::testing
