// The XMPP stream splitter of the Prosody client: what Prosody writes, cut at every byte.
#include "tests/load/xml_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace confidant::load {
namespace {

struct seen {
  std::vector<std::pair<xml_event, std::string>> events;
  xml_splitter::handler handler() {
    return [this](xml_event e, std::string_view text) { events.emplace_back(e, std::string{text}); };
  }
};

const std::string header =
    "<?xml version='1.0'?><stream:stream xml:lang='en' xmlns:stream='http://etherx.jabber.org/streams' "
    "version='1.0' id='c0' from='load.localhost' xmlns='jabber:client'>";
const std::string features =
    "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>ANONYMOUS</mechanism>"
    "</mechanisms></stream:features>";
const std::string message =
    "<message to='a@load.localhost/r1' from=\"b@load.localhost/r2\" type='chat'><body>12 34 x&gt;</body></message>";
const std::string ack = "<a h='7' xmlns='urn:xmpp:sm:3'/>";

TEST(xml_splitter, yields_the_header_each_top_level_element_and_the_end) {
  xml_splitter s;
  seen out;
  ASSERT_TRUE(s.feed(header + features + message + ack + "</stream:stream>", out.handler()));
  ASSERT_EQ(out.events.size(), 5u);
  EXPECT_EQ(out.events[0].first, xml_event::stream_open);
  EXPECT_EQ(out.events[1].second, features);
  EXPECT_EQ(out.events[2].second, message);
  EXPECT_EQ(out.events[3].second, ack);
  EXPECT_EQ(out.events[4].first, xml_event::stream_close);
}

TEST(xml_splitter, the_same_events_whatever_the_reads) {
  const std::string all = header + features + message + ack + message;
  for (std::size_t cut = 1; cut < all.size(); ++cut) {
    xml_splitter s;
    seen out;
    ASSERT_TRUE(s.feed(all.substr(0, cut), out.handler()));
    ASSERT_TRUE(s.feed(all.substr(cut), out.handler()));
    ASSERT_EQ(out.events.size(), 5u) << "cut at " << cut;
    EXPECT_EQ(out.events[2].second, message) << "cut at " << cut;
    EXPECT_EQ(out.events[4].second, message) << "cut at " << cut;
  }
}

TEST(xml_splitter, quoted_values_may_hold_angle_brackets_and_slashes) {
  xml_splitter s;
  seen out;
  const std::string odd = "<iq id='a>b/' type=\"x/>\"><q/></iq>";
  ASSERT_TRUE(s.feed(header + odd, out.handler()));
  ASSERT_EQ(out.events.size(), 2u);
  EXPECT_EQ(out.events[1].second, odd);
}

TEST(xml_splitter, a_restart_opens_a_new_stream) {
  xml_splitter s;
  seen out;
  ASSERT_TRUE(s.feed(header + "<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>" + header + features,
                     [&](xml_event e, std::string_view text) {
                       if (element_name(text) == "success") s.restart();
                       out.events.emplace_back(e, std::string{text});
                     }));
  ASSERT_EQ(out.events.size(), 4u);
  EXPECT_EQ(out.events[2].first, xml_event::stream_open);
  EXPECT_EQ(out.events[3].second, features);
}

TEST(xml_splitter, refuses_a_stray_end_tag_and_an_element_over_the_limit) {
  seen out;
  xml_splitter stray;
  EXPECT_FALSE(stray.feed("</stream:stream>", out.handler()));
  xml_splitter small(64);
  EXPECT_FALSE(small.feed(header + "<message><body>" + std::string(100, 'x'), out.handler()));
}

TEST(xml_splitter, reads_names_attributes_and_child_text) {
  EXPECT_EQ(element_name(message), "message");
  EXPECT_EQ(element_name(ack), "a");
  EXPECT_EQ(attribute(ack, "h"), "7");
  EXPECT_EQ(attribute(message, "from"), "b@load.localhost/r2");
  EXPECT_EQ(attribute(message, "type"), "chat");
  EXPECT_FALSE(attribute(message, "id"));
  EXPECT_EQ(child_text(message, "body"), "12 34 x&gt;");
  EXPECT_FALSE(child_text(message, "subject"));
  EXPECT_EQ(child_text("<iq><bind xmlns='b'><jid>a@b/c</jid></bind></iq>", "jid"), "a@b/c");
}

}  // namespace
}  // namespace confidant::load
