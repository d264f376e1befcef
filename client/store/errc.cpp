#include "client/store/local_store.hpp"

#include <string>

namespace confidant::client {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.client.store"; }

  std::string message(int ev) const override {
    switch (static_cast<store_errc>(ev)) {
      case store_errc::no_profile: return "no local profile in this folder (register first)";
      case store_errc::profile_exists: return "a local profile already exists in this folder";
      case store_errc::wrong_passphrase: return "wrong passphrase";
      case store_errc::weak_passphrase: return "the passphrase must be at least 8 bytes long";
      case store_errc::io_error: return "the profile folder or one of its files cannot be read or written";
      case store_errc::corrupt: return "the local profile is damaged or not a Confidant client store";
      case store_errc::not_found: return "no such entry in the local store";
    }
    return "unknown local store error";
  }
};

}  // namespace

const boost::system::error_category& store_category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace confidant::client
