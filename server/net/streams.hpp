#pragma once

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

namespace confidant::net {

// The two transports a session can run on. Sessions are templates on these so a test can also
// drive them over boost::beast::test::stream.
using plain_stream = boost::beast::tcp_stream;
using tls_stream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

}  // namespace confidant::net
