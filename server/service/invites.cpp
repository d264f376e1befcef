#include "server/service/invites.hpp"

#include "server/service/audit.hpp"

#include <sodium.h>

#include <cstdlib>

namespace confidant::service {

store::code_hash hash_invite(const wire::invite_bytes& code) {
  store::code_hash out{};
  crypto_generichash(out.data(), out.size(), code.data(), code.size(), nullptr, 0);
  return out;
}

bool valid_display_name(std::string_view name) noexcept {
  if (name.empty() || name.size() > 120) return false;
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f) return false;
  return true;
}

void issue_invite(store::writer& writer, rules::role role, std::string display_name,
                  std::optional<std::int64_t> created_by, rules::time_point now, std::chrono::milliseconds lifetime,
                  std::function<void(boost::system::result<issued_invite>)> done,
                  std::optional<std::int64_t> link_account, bool deputy) {
  if (sodium_init() < 0) std::abort();
  wire::invite_bytes code{};
  randombytes_buf(code.data(), code.size());
  const auto expires = now + lifetime;
  store::new_invite row{hash_invite(code), role, std::move(display_name), created_by,
                        now.time_since_epoch().count(), expires.time_since_epoch().count(), link_account, deputy};
  issued_invite issued{wire::format_invite_code(code), expires};
  sodium_memzero(code.data(), code.size());
  writer.submit(
      [row = std::move(row)](store::database& db) -> store::result<void> {
        auto id = store::insert_invite(db, row);
        if (!id) return id.error();
        const auto actor = row.created_by ? user_actor(*row.created_by) : std::string{"operator"};
        if (row.link_account) return record(db, row.created_at_ms, actor, "device_link_created", object_name("user", *row.link_account));
        boost::json::object detail{{"role", rules::name(row.role)}};
        if (row.deputy) detail["deputy"] = true;
        return record(db, row.created_at_ms, actor, "invite_created", object_name("invite", *id), detail);
      },
      [issued = std::move(issued), done = std::move(done)](boost::system::error_code ec) mutable {
        if (ec) return done(ec);
        done(std::move(issued));
      });
}

}  // namespace confidant::service
