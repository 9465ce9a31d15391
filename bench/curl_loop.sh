#!/usr/bin/env bash
# The yardstick of the big-tenant listing: fetch every page of GET /v1/users?limit=PAGE_SIZE (the pages
# phyware itself asks for) with one curl per page, following next_cursor until it is null (extracted with a
# bash regex, no extra process).
# Usage: curl_loop.sh BASE_URL HEADER_FILE PAGE_SIZE   (HEADER_FILE holds "authorization: Bearer $KEY")
set -euo pipefail
base="$1/v1/users?limit=$3"
url="$base"
pages=0
while :; do
  body=$(curl -sf -H "@$2" "$url")
  pages=$((pages + 1))
  if [[ $body =~ \"next_cursor\":\"([A-Za-z0-9_-]+)\" ]]; then
    url="$base&cursor=${BASH_REMATCH[1]}"
  else
    break
  fi
done
echo "$pages pages"
