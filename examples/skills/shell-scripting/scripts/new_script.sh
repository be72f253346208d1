#!/usr/bin/env bash
# Write a new bash script skeleton to the given path. Never overwrites files.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: new_script.sh [-d DESCRIPTION] [-f] OUTPUT_PATH

Writes a bash script template with strict mode, getopts parsing and a
cleanup trap to OUTPUT_PATH and marks it executable for the owner.
  -d DESCRIPTION  one-line description placed in the header and usage text
  -f              allow replacing an existing file
  -h              show this help
USAGE
}

write_template() {
  local out=$1 description=$2
  cat >"$out" <<TEMPLATE
#!/usr/bin/env bash
# ${description}
set -euo pipefail
IFS=\$'\\n\\t'

usage() {
  printf 'usage: %s [-v] [-n] ARG...\\n' "\$(basename "\$0")"
  printf '%s\\n' "${description}"
  printf '  -v  verbose\\n  -n  dry run: print actions only\\n  -h  help\\n'
}

die() { printf 'error: %s\\n' "\$*" >&2; exit 1; }
log() { if [[ \$verbose == 1 ]]; then printf '%s\\n' "\$*" >&2; fi; }

verbose=0
dry_run=0

main() {
  while getopts ':vnh' opt; do
    case \$opt in
      v) verbose=1 ;;
      n) dry_run=1 ;;
      h) usage; exit 0 ;;
      *) usage >&2; exit 2 ;;
    esac
  done
  shift \$((OPTIND - 1))
  [[ \$# -ge 1 ]] || { usage >&2; exit 2; }

  workdir=\$(mktemp -d)
  trap 'rm -r -- "\$workdir"' EXIT

  for arg in "\$@"; do
    log "processing \$arg"
    if [[ \$dry_run == 1 ]]; then
      printf 'would process %s\\n' "\$arg"
      continue
    fi
    : # real work goes here
  done
}

main "\$@"
TEMPLATE
}

main() {
  local description="Describe what this script does" force=0 opt
  while getopts ':d:fh' opt; do
    case $opt in
      d) description=$OPTARG ;;
      f) force=1 ;;
      h) usage; exit 0 ;;
      *) usage >&2; exit 2 ;;
    esac
  done
  shift $((OPTIND - 1))
  [[ $# -eq 1 ]] || { usage >&2; exit 2; }
  local out=$1
  if [[ -e $out && $force != 1 ]]; then
    printf 'error: %s exists (use -f to replace it)\n' "$out" >&2
    exit 1
  fi
  write_template "$out" "$description"
  chmod u+x -- "$out"
  printf 'wrote %s\n' "$out"
}

main "$@"
