#!/bin/sh
# Seeds the targets' corpora from the fixtures: documents for `document`, `front_matter` and
# `suppressions`, configurations for `config`, the built-in packs (their ids renamed, so they are
# new to the catalog) for `rule_pack`. `baseline` starts from a baseline of a fixture, written by
# the debug build (`cargo build` in the repository first).
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/document corpus/front_matter corpus/suppressions corpus/config corpus/rule_pack corpus/baseline
name() { printf '%s' "$1" | cksum | cut -d' ' -f1; }
find ../fixtures -type f \( -name '*.md' -o -name '*.rst' -o -name '*.adoc' \) -size -64k |
while read -r file; do
    cp "$file" "corpus/document/$(name "$file")"
    cp "$file" "corpus/front_matter/$(name "$file")"
    case "$file" in *.md) cp "$file" "corpus/suppressions/$(name "$file")" ;; esac
done
find ../fixtures -type f -name ospolint.toml | while read -r file; do
    cp "$file" "corpus/config/$(name "$file")"
done
grep -l '^\[\[rule\]\]' ../rules/*.toml | while read -r file; do
    sed 's/^id = "/id = "fuzz-/' "$file" > "corpus/rule_pack/$(name "$file")"
done
if [ -x ../target/debug/ospolint ]; then
    (cd ../fixtures/project-gaps && ../../target/debug/ospolint check . --fail-on never \
        --write-baseline "$OLDPWD/corpus/baseline/project-gaps.json") > /dev/null 2>&1
fi
