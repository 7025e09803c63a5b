#!/bin/sh
# workerd as miniflare starts it (MINIFLARE_WORKERD_PATH), tied to the process that started it: `setpriv --pdeathsig`
# makes the kernel kill it when that process dies, even by SIGKILL (util-linux is on every Debian and Ubuntu).
if command -v setpriv >/dev/null 2>&1; then exec setpriv --pdeathsig SIGKILL "$KILN_WORKERD" "$@"; fi
exec "$KILN_WORKERD" "$@"
