#pragma once
/// JSON text of a document on one line: what batch mode writes per input line.

#include <string>

#include "aiadvise/util/json_document.hpp"

namespace aiadvise::render {

/// Appends `value` as nlohmann's dump(-1, ' ', false, error_handler_t::replace) writes it (compact,
/// keys in order, UTF-8 kept, invalid UTF-8 replaced by U+FFFD, NaN and infinities as null), byte
/// for byte, without its per-character virtual calls. A report of a few kilobytes is written
/// several times faster.
void append_json(std::string& out, const util::Json& value);

}  // namespace aiadvise::render
