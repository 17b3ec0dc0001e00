# Sourced: a private PulseAudio server with two null sinks, for machines without a sound card.
# "spk" is the virtual speaker (its monitor captures what rehearse plays); "mic" is a sink whose
# monitor is the default input, so `paplay --device=mic answer.wav` is heard by a recording.

start_virtual_audio() {
    export XDG_RUNTIME_DIR
    XDG_RUNTIME_DIR=$(mktemp -d "${TMPDIR:-/tmp}/rehearse-pulse.XXXXXX")
    chmod 700 "$XDG_RUNTIME_DIR"
    unset PULSE_SERVER
    export PULSE_RUNTIME_PATH="$XDG_RUNTIME_DIR/pulse"
    if ! pulseaudio --daemonize=yes --exit-idle-time=-1 -n --disallow-exit \
        --load=module-native-protocol-unix \
        --load="module-null-sink sink_name=spk" \
        --load="module-null-sink sink_name=mic" >&2 2>"$XDG_RUNTIME_DIR/pulse.log"; then
        echo "rehearse test: could not start PulseAudio:" >&2
        cat "$XDG_RUNTIME_DIR/pulse.log" >&2
        return 1
    fi
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
    pactl set-default-sink spk && pactl set-default-source mic.monitor || return 1
    export REHEARSE_VIRTUAL_AUDIO=1
}

stop_virtual_audio() {
    pulseaudio --kill >/dev/null 2>&1
    # The server removes its own files as it exits: wait for it, so the folder is empty to remove.
    for _ in $(seq 50); do pactl info >/dev/null 2>&1 || break; sleep 0.1; done
    rm -rf "$XDG_RUNTIME_DIR" 2>/dev/null || { sleep 1; rm -rf "$XDG_RUNTIME_DIR"; }
}
