#pragma once
// HTTP/1.1 over a plain socket, byte for byte: for requests curl would tidy up (dot segments,
// raw NULs, invalid UTF-8 in headers) and for holding connections open.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace keepout::test {

// A connected socket to 127.0.0.1:port, or -1.
inline int connect_loopback(int port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
        ::close(fd);
        return -1;
    }
    return fd;
}

struct RawAnswer {
    bool answered = false;  // a status line came back (false: the connection was dropped)
    int status = 0;
    std::string head;       // status line and headers
    std::string body;
};

// Sends `bytes` as they are and reads until the server closes (send Connection: close). The
// receive timeout only keeps a hung server from hanging the test: a hang fails as "no answer".
inline RawAnswer raw_exchange(int port, const std::string& bytes) {
    RawAnswer out;
    const int fd = connect_loopback(port);
    if (fd < 0) return out;
    timeval tv{120, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server may answer (413) and close before reading it all
        sent += std::size_t(n);
    }
    std::string all;
    char buf[65536];
    for (;;) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        all.append(buf, std::size_t(n));
    }
    ::close(fd);
    if (all.rfind("HTTP/1.", 0) != 0 || all.size() < 12) return out;
    out.answered = true;
    out.status = std::atoi(all.c_str() + 9);
    const auto end = all.find("\r\n\r\n");
    out.head = all.substr(0, end);
    if (end != std::string::npos) out.body = all.substr(end + 4);
    return out;
}

// "GET /healthz" on a fresh connection.
inline RawAnswer raw_get(int port, const std::string& target, const std::string& headers = "") {
    return raw_exchange(port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + "Connection: close\r\n\r\n");
}

}  // namespace keepout::test
