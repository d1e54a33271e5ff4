#!/usr/bin/env bash
# Style checks run by test.sh: no tracked .cs line longer than max_line_length (.editorconfig), and whitespace as
# `dotnet format whitespace` leaves it.
set -euo pipefail
cd "$(dirname "$0")/../.."

max=150
# grep counts characters, not bytes, in a UTF-8 locale.
long=$(git ls-files -z '*.cs' | xargs -0 -r env LC_ALL=C.UTF-8 grep -nE "^.{$((max + 1)),}" | cut -d: -f1,2 || true)
if [ -n "$long" ]; then
  echo "Lines longer than $max characters (wrap them; see max_line_length in .editorconfig):" >&2
  echo "$long" >&2
  exit 1
fi

if ! dotnet format whitespace OpenCdn.sln --verify-no-changes; then
  echo "Whitespace differs from .editorconfig: run 'dotnet format whitespace OpenCdn.sln' and commit the result." >&2
  exit 1
fi
