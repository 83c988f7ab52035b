#include "aiadvise/render/json.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace aiadvise::render {

using util::Json;

namespace {

std::string dumped(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace); }

// The bytes append_string writes as they are: printable ASCII but the quote and the backslash.
constexpr std::array<bool, 256> k_plain = [] {
  std::array<bool, 256> plain{};
  for (int byte = 0x20; byte < 0x80; ++byte) plain[static_cast<std::size_t>(byte)] = byte != '"' && byte != '\\';
  return plain;
}();

void append_string(std::string& out, const std::string& s) {
  // Printable ASCII without quotes or backslashes is written as it is; anything else (control
  // characters, UTF-8, invalid bytes) is escaped by nlohmann itself.
  for (const char ch : s) {
    if (!k_plain[static_cast<unsigned char>(ch)]) {
      out += dumped(Json(s));
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

template <typename Integer>
void append_integer(std::string& out, Integer v) {
  char buffer[24];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, v);
  out.append(buffer, result.ptr);
}

}  // namespace

void append_json(std::string& out, const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: {
      const auto& object = value.get_ref<const Json::object_t&>();
      if (object.empty()) {
        out += "{}";
        return;
      }
      char separator = '{';
      for (const auto& [key, item] : object) {
        out += separator;
        separator = ',';
        append_string(out, key);
        out += ':';
        append_json(out, item);
      }
      out += '}';
      return;
    }
    case Json::value_t::array: {
      const auto& array = value.get_ref<const Json::array_t&>();
      if (array.empty()) {
        out += "[]";
        return;
      }
      char separator = '[';
      for (const auto& item : array) {
        out += separator;
        separator = ',';
        append_json(out, item);
      }
      out += ']';
      return;
    }
    case Json::value_t::string: append_string(out, value.get_ref<const std::string&>()); return;
    case Json::value_t::boolean: out += value.get<bool>() ? "true" : "false"; return;
    case Json::value_t::null: out += "null"; return;
    case Json::value_t::number_integer: append_integer(out, value.get<std::int64_t>()); return;
    case Json::value_t::number_unsigned: append_integer(out, value.get<std::uint64_t>()); return;
    case Json::value_t::number_float: {
      const double x = value.get<double>();
      if (!std::isfinite(x)) {
        out += "null";
        return;
      }
      // NOTE: nlohmann's own shortest round-trip formatting (Grisu2, "1.0" for whole numbers),
      // the function its serializer calls, so that numbers are written exactly as dump() writes them.
      char buffer[64];
      char* end = nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, x);
      out.append(buffer, static_cast<std::size_t>(end - buffer));
      return;
    }
    default: out += dumped(value); return;  // binary and discarded values, which reports never hold
  }
}

namespace {

void indented(std::string& out, const Json& value, int indent, int depth) {
  const auto inner = static_cast<std::size_t>(indent) * static_cast<std::size_t>(depth + 1);
  if (value.is_binary()) {  // as nlohmann writes it; reports never hold one
    const auto& binary = value.get_binary();
    out += "{\n";
    out.append(inner, ' ');
    out += "\"bytes\": [";
    for (std::size_t k = 0; k < binary.size(); ++k) {
      if (k) out += ", ";
      append_integer(out, static_cast<unsigned>(binary[k]));
    }
    out += "],\n";
    out.append(inner, ' ');
    out += "\"subtype\": ";
    if (binary.has_subtype()) append_integer(out, binary.subtype());
    else out += "null";
    out += '\n';
    out.append(inner - static_cast<std::size_t>(indent), ' ');
    out += '}';
    return;
  }
  const bool object = value.is_object();
  if (!(object || value.is_array()) || value.empty()) {
    append_json(out, value);
    return;
  }
  out += object ? "{\n" : "[\n";
  bool first = true;
  auto start = [&] {
    if (!first) out += ",\n";
    first = false;
    out.append(inner, ' ');
  };
  if (object) {
    for (const auto& [key, item] : value.get_ref<const Json::object_t&>()) {
      start();
      append_string(out, key);
      out += ": ";
      indented(out, item, indent, depth + 1);
    }
  } else {
    for (const auto& item : value.get_ref<const Json::array_t&>()) {
      start();
      indented(out, item, indent, depth + 1);
    }
  }
  out += '\n';
  out.append(inner - static_cast<std::size_t>(indent), ' ');
  out += object ? '}' : ']';
}

}  // namespace

void append_json_indented(std::string& out, const Json& value, int indent) { indented(out, value, indent < 0 ? 0 : indent, 0); }

std::string json_text(const Json& value, int indent) {
  std::string out;
  append_json_indented(out, value, indent);
  out += '\n';
  return out;
}

}  // namespace aiadvise::render
