#!/usr/bin/env bash
# Interop check with the reference clients in ../shared/clients (when present): starts the built hub
# on a scratch data directory, shares through the unified format and TAXII 2.1 (campaigns, RED, a
# narrowing re-submission, a benign mark, a re-listing, an unmarked object, a sighting and a false
# positive reported through the hub API), then
#  - runs the OASIS STIX validator in strict mode over everything the hub serves (as the operator),
#  - runs the taxii2-client smoke steps,
#  - runs the cabby (TAXII 1.1) smoke steps against /taxii1 as alice on isac-feed,
#  - validates every TAXII 1.1 message the hub sends against the TAXII XSDs (xmllint).
# Exit 0 when all pass (or the clients are absent), 1 otherwise. Needs `npm run build` first.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=../shared/clients
if [ ! -x "$CLIENTS/setup.sh" ]; then echo "interop: no reference clients in $CLIENTS; skipped"; exit 0; fi
if ! "$CLIENTS/setup.sh" > /tmp/interop-setup.log 2>&1; then echo "interop: the clients did not set up (see /tmp/interop-setup.log); skipped"; exit 0; fi

WORK=$(mktemp -d)
PORT=${INTEROP_PORT:-18099}
H="http://127.0.0.1:$PORT"
PORT=$PORT HUB_DATA_DIR="$WORK/data" node dist/cli/main.js serve > "$WORK/hub.log" 2>&1 &
HUB=$!
trap 'kill $HUB 2>/dev/null || true; wait $HUB 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 90); do curl -sf -o /dev/null "$H/healthz" && break; sleep 1; done
curl -sf -o /dev/null "$H/healthz" || { echo "interop: the hub did not start"; cat "$WORK/hub.log"; exit 1; }

ACME=948f89cd-d3ab-4b2e-bb60-bdffe702b793
ISAC=735988d1-ca7e-4645-96dd-38a00e72e2f4
ALLIANCE=d6213043-77da-4b4e-82b6-d9aceb68b6c6
T='application/taxii+json;version=2.1'
submit() { curl -sf -u "$1:$1-demo-pw" -H 'Content-Type: application/json' -X POST "$H/api/submissions" -d "$2"; }
doc() { echo "{\"collection\":\"$1\",\"valid_from\":\"2026-11-01T00:00:00Z\",$2}"; }
IP_ID=$(submit bob "$(doc $ACME '"marking":{"tlp":"green"},"campaign":"Op Lake","indicators":[{"kind":"c2-ip","value":"203.0.113.5"},{"kind":"url","value":"http://evil.example/a"}]')" | python3 -c 'import sys,json; print(json.load(sys.stdin)["indicators"][0]["id"])')
# Reports on it (issue 14): a sighting by the head office, a false positive by a branch; the hub makes the STIX.
curl -sf -u alice:alice-demo-pw -H 'Content-Type: application/json' -X POST "$H/api/collections/$ACME/sightings" \
  -d "{\"sightings\":[{\"indicator\":\"$IP_ID\",\"count\":3,\"first_seen\":\"2026-12-01T08:00:00Z\",\"last_seen\":\"2026-12-01T09:30:00Z\"}]}" > /dev/null
curl -sf -u carol:carol-demo-pw -H 'Content-Type: application/json' -X POST "$H/api/collections/$ACME/indicators/$IP_ID/false-positive" \
  -d '{"explanation":"our own resolver"}' > /dev/null
submit bob "$(doc $ACME '"marking":{"tlp":"red","recipients":["acme-hq"]},"campaign":"Op Lake","indicators":[{"kind":"c2-ip","value":"203.0.113.5"}]')" > /dev/null
submit alice "$(doc $ISAC '"campaign":"Isac Op","indicators":[{"kind":"email-from","value":"ceo@phish.example"}]')" > /dev/null
submit erin "$(doc $ALLIANCE '"marking":{"tlp":"amber+strict"},"indicators":[{"kind":"email-subject","value":"Invoice overdue"}]')" > /dev/null
ID=$(submit bob "$(doc $ACME '"indicators":[{"kind":"c2-hostname","value":"relist.example"}]')" | python3 -c 'import sys,json; print(json.load(sys.stdin)["indicators"][0]["id"])')
curl -sf -u bob:bob-demo-pw -H 'Content-Type: application/json' -X POST "$H/api/collections/$ACME/indicators/$ID/benign" -d '{"reason":"cleaned"}' > /dev/null
submit bob "$(doc $ACME '"indicators":[{"kind":"c2-hostname","value":"relist.example"}]')" > /dev/null
curl -sf -u bob:bob-demo-pw -H "Content-Type: $T" -H "Accept: $T" -X POST "$H/demo/collections/$ACME/objects/" \
  -d '{"objects":[{"type":"indicator","spec_version":"2.1","id":"indicator--0b1f5e8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b","created":"2026-11-01T00:00:00.000Z","modified":"2026-11-01T00:00:00.000Z","name":"unmarked","description":"posted without a marking","pattern":"[domain-name:value = '"'"'x.example'"'"']","pattern_type":"stix","valid_from":"2026-11-01T00:00:00Z","indicator_types":["malicious-activity"]}]}' > /dev/null

for c in $ACME $ISAC $ALLIANCE; do
  curl -sf -u operator:operator-demo-pw -H "Accept: $T" "$H/demo/collections/$c/objects/?match%5Bversion%5D=all&limit=10000" \
    | python3 -c 'import sys, json, uuid; print(json.dumps({"type": "bundle", "id": "bundle--" + str(uuid.uuid4()), "objects": json.load(sys.stdin)["objects"]}))' > "$WORK/$c.json"
done
status=0
"$CLIENTS/stix2-validate" --strict "$WORK"/*.json > "$WORK/validate.log" 2>&1 || status=1
if grep -q 'STIX JSON: Invalid' "$WORK/validate.log"; then status=1; fi
grep -E 'Results for|STIX JSON|\[X\]' "$WORK/validate.log" || true
"$CLIENTS/taxii21-smoke.py" "$H/taxii2/" bob bob-demo-pw --collection $ACME --with-delete | tail -1 || status=1
echo "interop: cabby (TAXII 1.1)"
"$CLIENTS/taxii11-smoke.sh" "$H/taxii1/discovery" alice alice-demo-pw isac-feed > "$WORK/taxii11.log" 2>&1 || status=1
cat "$WORK/taxii11.log"
bash scripts/taxii11-xsd-check.sh || status=1
# The live hub's own answers (after the cabby steps shared into isac-feed) against the TAXII 1.1 XSD.
XSD=$CLIENTS/src/libtaxii/libtaxii/xsd/TAXII_XMLMessageBinding_Schema_11.xsd
if [ -f "$XSD" ] && command -v xmllint > /dev/null; then
  NS11=http://taxii.mitre.org/messages/taxii_xml_binding-1.1
  t11() { curl -sf -u alice:alice-demo-pw -H 'Content-Type: application/xml' -H 'X-TAXII-Content-Type: urn:taxii.mitre.org:message:xml:1.1' -X POST "$H/taxii1/$1" -d "$2" > "$WORK/live-$3.xml"; }
  t11 discovery "<Discovery_Request xmlns=\"$NS11\" message_id=\"1\"/>" discovery
  t11 collection-management "<Collection_Information_Request xmlns=\"$NS11\" message_id=\"2\"/>" collections
  t11 collection-management "<Subscription_Management_Request xmlns=\"$NS11\" message_id=\"3\" collection_name=\"isac-feed\" action=\"SUBSCRIBE\"><Subscription_Parameters><Response_Type>FULL</Response_Type></Subscription_Parameters></Subscription_Management_Request>" subscribe
  t11 collection-management "<Subscription_Management_Request xmlns=\"$NS11\" message_id=\"4\" collection_name=\"isac-feed\" action=\"STATUS\"/>" status
  t11 poll "<Poll_Request xmlns=\"$NS11\" message_id=\"5\" collection_name=\"isac-feed\"><Poll_Parameters><Response_Type>FULL</Response_Type></Poll_Parameters></Poll_Request>" poll
  t11 poll "<Poll_Request xmlns=\"$NS11\" message_id=\"6\" collection_name=\"no-such-feed\"><Poll_Parameters/></Poll_Request>" not-found
  live_failed=0
  for f in "$WORK"/live-*.xml; do
    xmllint --noout --nonet --schema "$XSD" "$f" > /dev/null 2> "$f.err" || { live_failed=1; echo "INVALID $(basename "$f"):"; sed 's/^/  /' "$f.err"; }
  done
  grep -q 'STIX_Package' "$WORK/live-poll.xml" || { live_failed=1; echo "the live poll answer holds no STIX package"; }
  [ $live_failed -eq 0 ] && echo "taxii11 live answers: $(ls "$WORK"/live-*.xml | wc -l) valid against the TAXII 1.1 XSD" || status=1
fi
[ $status -eq 0 ] && echo "interop: PASS" || echo "interop: FAIL"
exit $status
