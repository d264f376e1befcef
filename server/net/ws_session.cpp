#include "server/net/ws_session_impl.hpp"

#include "server/net/streams.hpp"

namespace confidant::net {

template class ws_session<plain_stream>;
template class ws_session<tls_stream>;

}  // namespace confidant::net
