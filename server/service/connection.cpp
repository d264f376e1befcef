#include "server/service/connection.hpp"

namespace confidant::service {

void connection::send(std::string frame) const {
  if (auto p = peer_.lock()) p->send(std::make_shared<const std::string>(std::move(frame)));
}

void connection::send(std::shared_ptr<const std::string> frame) const {
  if (auto p = peer_.lock()) p->send(std::move(frame));
}

void connection::close(std::uint16_t code, std::string reason) const {
  if (auto p = peer_.lock()) p->close(code, std::move(reason));
}

void connection::strand(std::function<void()> fn) const {
  if (auto p = peer_.lock()) p->dispatch(std::move(fn));
}

}  // namespace confidant::service
