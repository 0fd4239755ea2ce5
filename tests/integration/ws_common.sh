# SPDX-License-Identifier: MIT
# Helpers for the WebSocket tests (sourced after tests/harness/lib.sh).
#
#   ws_listeners CERT_CHAIN KEY >>FILE
#       mosquitto listener lines: websockets on $WS (plain) and $WSS (TLS
#       with that certificate), anonymous; call it not in a subshell, so
#       the ports are left in $WS and $WSS.

ws_listeners() {
    WS=$(free_port)
    WSS=$(free_port)
    printf '%s\n' "listener $WS 127.0.0.1" "protocol websockets" "allow_anonymous true" \
        "listener $WSS 127.0.0.1" "protocol websockets" "allow_anonymous true" \
        "certfile $1" "keyfile $2"
}
