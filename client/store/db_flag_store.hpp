#pragma once

// flag_store on the local SQLCipher database (client/store/migrations/0002_flags.sql). Internal to
// the store: one write scope per write, so each joins local_store::atomically.

#include "client/store/connection.hpp"
#include "client/store/flag_store.hpp"

namespace confidant::client {

class db_flag_store final : public flag_store {
 public:
  explicit db_flag_store(connection& c) : c_(c) {}

  [[nodiscard]] store_result<void> add_key(const spoc_key_record& k) override;
  [[nodiscard]] store_result<void> mark_published(std::uint32_t key_id, std::int64_t at_ms) override;
  [[nodiscard]] store_result<std::vector<spoc_key_record>> keys() const override;
  [[nodiscard]] store_result<void> add_raised(const raised_flag& f) override;
  [[nodiscard]] store_result<void> update_raised(const raised_flag& f) override;
  [[nodiscard]] store_result<std::vector<raised_flag>> raised() const override;
  [[nodiscard]] store_result<std::optional<raised_flag>> raised_by_server_id(std::int64_t id) const override;
  [[nodiscard]] store_result<bool> set_raised_state(std::int64_t server_id, std::string_view state, std::optional<std::int64_t> at_ms) override;
  [[nodiscard]] store_result<bool> add_received(const received_flag& f) override;
  [[nodiscard]] store_result<void> update_metadata(const received_flag& f) override;
  [[nodiscard]] store_result<void> set_opened(const received_flag& f) override;
  [[nodiscard]] store_result<std::optional<received_flag>> received(std::int64_t server_id) const override;
  [[nodiscard]] store_result<std::vector<received_flag>> received_all() const override;
  [[nodiscard]] store_result<void> set_escalations(std::int64_t server_id, std::int64_t escalations) override;
  [[nodiscard]] store_result<bool> add_note(const flag_note_record& n) override;
  [[nodiscard]] store_result<std::vector<flag_note_record>> notes(std::int64_t flag) const override;

 private:
  connection& c_;
};

}  // namespace confidant::client
