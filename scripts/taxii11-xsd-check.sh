#!/usr/bin/env bash
# Validates one of each TAXII message the hub sends (src/domain/taxii11, TAXII 1.1 and the 1.0
# forms) against libtaxii's XSDs in ../shared/clients with xmllint. Not part of `npm test`: the
# interop script calls it. Exit 0 when every message is valid (or the clients or xmllint are
# absent: skipped), 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
XSD_DIR=../shared/clients/src/libtaxii/libtaxii/xsd
if [ ! -f "$XSD_DIR/TAXII_XMLMessageBinding_Schema_11.xsd" ]; then echo "taxii11-xsd-check: no TAXII XSDs in $XSD_DIR; skipped"; exit 0; fi
if ! command -v xmllint > /dev/null; then echo "taxii11-xsd-check: xmllint not installed (apt-get install -y libxml2-utils); skipped"; exit 0; fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Compile the message module on its own (the rest of the tree may be mid-change).
npx tsc --outDir "$WORK/js" --rootDir . --module node16 --moduleResolution node16 --target es2022 \
  --strict --skipLibCheck --types node --ignoreConfig src/domain/taxii11/index.ts
node scripts/taxii11-xsd-samples.mjs "$WORK/js/src/domain/taxii11" "$WORK/xml" > /dev/null

failed=0
count=0
for file in "$WORK"/xml/*.xml; do
  case "$(basename "$file")" in
    1.1-*) schema="$XSD_DIR/TAXII_XMLMessageBinding_Schema_11.xsd" ;;
    *) schema="$XSD_DIR/TAXII_XMLMessageBinding_Schema.xsd" ;;
  esac
  count=$((count + 1))
  # --nonet: xmldsig-core-schema.xsd names a DTD on w3.org; nothing is fetched.
  if ! out=$(xmllint --noout --nonet --schema "$schema" "$file" 2>&1); then
    failed=$((failed + 1))
    echo "INVALID $(basename "$file"):"
    echo "$out" | grep -v ' validates$' | sed 's/^/  /'
  fi
done
if [ "$failed" -gt 0 ]; then echo "taxii11-xsd-check: $failed of $count messages invalid"; exit 1; fi
echo "taxii11-xsd-check: all $count messages valid against the TAXII 1.1 and 1.0 XSDs"
