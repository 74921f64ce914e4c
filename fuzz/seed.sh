#!/bin/sh
# Seeds the corpora of the document and front matter targets with the fixtures' documents.
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/document corpus/front_matter
find ../fixtures -type f \( -name '*.md' -o -name '*.rst' -o -name '*.adoc' \) -size -64k |
while read -r file; do
    name=$(printf '%s' "$file" | cksum | cut -d' ' -f1)
    cp "$file" "corpus/document/$name"
    cp "$file" "corpus/front_matter/$name"
done
