#include "server/net/http_session_impl.hpp"

namespace confidant::net {

template class http_session<plain_stream>;
template class http_session<tls_stream>;

}  // namespace confidant::net
