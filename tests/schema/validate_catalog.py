#!/usr/bin/python3
"""Validates every entry of data/catalog/*.json against its JSON Schema in data/schema/ with
python3-jsonschema (Debian's), so the published schemas and the data cannot drift apart."""
import json
import pathlib
import sys

import jsonschema

SECTION_SCHEMA = {
    "catalog": "catalog.schema.json",
    "families": "family.schema.json",
    "models": "model.schema.json",
    "hardware": "hardware.schema.json",
    "instances": "instance.schema.json",
    "services": "service.schema.json",
    "rules": "rule.schema.json",
    "factors": "factor.schema.json",
}


def main() -> int:
    data = pathlib.Path(sys.argv[1])
    schemas = {}
    for section, name in SECTION_SCHEMA.items():
        path = data / "schema" / name
        if path.exists():
            schema = json.loads(path.read_text())
            jsonschema.Draft202012Validator.check_schema(schema)
            schemas[section] = jsonschema.Draft202012Validator(schema)
    checked = failed = 0
    for path in sorted((data / "catalog").glob("*.json")):
        doc = json.loads(path.read_text())
        for section, value in doc.items():
            validator = schemas.get(section)
            if validator is None:
                print(f"{path}: no schema for section '{section}'")
                failed += 1
                continue
            entries = [value] if section == "catalog" else value
            for index, entry in enumerate(entries):
                checked += 1
                for error in validator.iter_errors(entry):
                    failed += 1
                    where = "/".join(str(p) for p in error.absolute_path)
                    print(f"{path}: /{section}/{index}/{where}: {error.message}")
    print(f"{checked} entries checked against their schemas, {failed} problems")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
