#pragma once
/// JSON text of a document: on one line (what batch mode writes per input line) or indented.

#include <string>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

/// Appends `value` as nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes it (compact,
/// keys in order, UTF-8 kept, invalid UTF-8 replaced by U+FFFD, NaN and infinities as null), byte
/// for byte, without its per-character virtual calls. A report of a few kilobytes is written
/// several times faster.
void append_json(std::string& out, const util::Json& value);

/// The same, indented as dump(indent) writes it (`{`, then one member per line, `"key": value`), byte
/// for byte for valid UTF-8; invalid UTF-8 is replaced rather than thrown on. What every command's
/// `--format json` prints.
void append_json_indented(std::string& out, const util::Json& value, int indent = 2);

/// append_json_indented into a new string, with a final newline.
std::string json_text(const util::Json& value, int indent = 2);

}  // namespace aiadvise::render
