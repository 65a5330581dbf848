#!/usr/bin/env bash
# Private test services for mediacapture: a PulseAudio server with virtual devices, and an Xvfb display.
#
#   scripts/services.sh start    start whatever is installed and not running yet (idempotent)
#   scripts/services.sh stop     stop them and remove their state
#   scripts/services.sh status   say what runs; exit 0 when every installed service runs
#   scripts/services.sh env      print `export VAR=value` lines for the running services:
#                                eval "$(scripts/services.sh env)"
#
# Everything lives under $MC_SERVICES_DIR (default /tmp/mediacapture-services); nothing is written to
# $HOME, and a PulseAudio server of the desktop session is never touched: clients are pointed at the
# private one with PULSE_SERVER.
#
# PulseAudio devices (names are what tests use):
#   mc_sine_440       source  "Sine source at 440 Hz"   float32le 1ch 48000 Hz  (module-sine-source; default source)
#   mc_sine_1000      source  "Sine source at 1000 Hz"  float32le 1ch 44100 Hz
#   mc_null           sink    "Virtual Speaker"         s16le 2ch 48000 Hz      (module-null-sink; default sink)
#   mc_null.monitor   source  "Monitor of Virtual Speaker"
#
# Quirks, found with PulseAudio 16.1 on Debian 12, running as root:
#  - pulseaudio runs as root without --system, after a warning ("This program is not intended to be
#    run as root"); --system would need the pulse user, a system bus and client.conf changes.
#  - The daemon creates ~/.config/pulse/cookie even with PULSE_STATE_PATH set (and a second cookie in
#    PULSE_STATE_PATH), so it gets a private HOME; without PULSE_COOKIE every client (pactl, parec)
#    creates ~/.config/pulse/cookie too. auth-anonymous=1 makes the cookie's content irrelevant.
#  - libpulse never autospawns a server for root, and never when PULSE_SERVER is set, so a dead
#    private server makes clients fail ("Connection refused") instead of starting another one.
#  - Property values with spaces need the whole property list in single quotes and the value in
#    double quotes: sink_properties='device.description="Virtual Speaker"'.
#  - The D-Bus warnings at startup ("Unable to contact D-Bus") are harmless: no D-Bus here.
set -euo pipefail

DIR=${MC_SERVICES_DIR:-/tmp/mediacapture-services}
RUNTIME=$DIR/runtime          # XDG_RUNTIME_DIR: the socket is $RUNTIME/pulse/native, the pid file $RUNTIME/pulse/pid
STATE=$DIR/pulse-state        # PULSE_STATE_PATH: the cookie
SOCKET=$RUNTIME/pulse/native
PULSE_LOG=$DIR/pulse.log
XVFB_LOG=$DIR/xvfb.log
XVFB_PID=$DIR/xvfb.pid
XVFB_DISPLAY=$DIR/xvfb.display
SCREEN=${MC_XVFB_SCREEN:-1280x720x24}

log() { echo "services: $*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }
in_ci() { [ -n "${CI:-}" ] && [ "${CI}" != "false" ] && [ "${CI}" != "0" ]; }

# Missing programs: locally the tests that need them are skipped; in CI that is an error.
missing() {
  local program=$1 package=$2
  if in_ci; then
    log "ERROR: $program is not installed (apt-get install $package); CI needs it"
    return 1
  fi
  log "$program is not installed (apt-get install $package); tests that need it will be skipped"
}

# Clients (pactl): the private server, the private cookie.
pulse_env() {
  env XDG_RUNTIME_DIR="$RUNTIME" PULSE_SERVER="unix:$SOCKET" PULSE_COOKIE="$STATE/cookie" LC_ALL=C "$@"
}

# The daemon: its HOME is private too, since it looks for its cookie under ~/.config/pulse and
# creates one there whatever PULSE_STATE_PATH says.
pulse_daemon_env() {
  env -u PULSE_SERVER -u PULSE_COOKIE XDG_RUNTIME_DIR="$RUNTIME" PULSE_STATE_PATH="$STATE" HOME="$DIR/home" \
    XDG_CONFIG_HOME="$DIR/home/.config" LC_ALL=C "$@"
}

pulse_running() {
  [ -S "$SOCKET" ] && have pactl && pulse_env timeout 5 pactl info >/dev/null 2>&1
}

pulse_pid() {
  [ -f "$RUNTIME/pulse/pid" ] && tr -dc '0-9' <"$RUNTIME/pulse/pid"
}

start_pulse() {
  if ! have pulseaudio || ! have pactl; then
    missing pulseaudio "pulseaudio pulseaudio-utils"
    return
  fi
  if pulse_running; then
    log "pulseaudio already running (unix:$SOCKET)"
    return
  fi
  mkdir -p "$DIR" "$STATE" "$DIR/home"
  rm -rf "$RUNTIME"
  mkdir -p -m 0700 "$RUNTIME"
  chmod 0700 "$STATE"
  # -n: no default.pa, so only the modules below (no ALSA probing, no stream/device restore, no
  # module-always-sink): the device list is exactly ours. The script runs before the daemon
  # reports "startup successful", so the devices exist when --daemonize returns.
  cat >"$DIR/mediacapture.pa" <<'EOF'
load-module module-native-protocol-unix auth-anonymous=1
load-module module-sine-source source_name=mc_sine_440 frequency=440 rate=48000
load-module module-sine-source source_name=mc_sine_1000 frequency=1000 rate=44100
load-module module-null-sink sink_name=mc_null rate=48000 channels=2 format=s16le sink_properties='device.description="Virtual Speaker"'
set-default-source mc_sine_440
set-default-sink mc_null
EOF
  : >"$PULSE_LOG"
  # --exit-idle-time=-1: stay up with no clients. --no-cpu-limit: the load limiter would SIGXCPU the
  # daemon on a slow, shared CI machine. No realtime / high priority: this is a test fixture.
  if ! pulse_daemon_env pulseaudio -n --daemonize=yes --system=false --exit-idle-time=-1 --no-cpu-limit=yes \
      --high-priority=no --realtime=no --use-pid-file=yes --log-target="file:$PULSE_LOG" \
      -F "$DIR/mediacapture.pa" 2>>"$PULSE_LOG"; then
    log "ERROR: pulseaudio did not start; its log ($PULSE_LOG):"
    tail -n 30 "$PULSE_LOG" >&2 || true
    return 1
  fi
  local i
  for i in $(seq 50); do
    pulse_running && break
    sleep 0.1
  done
  if ! pulse_running; then
    log "ERROR: pulseaudio started but does not answer on unix:$SOCKET; its log:"
    tail -n 30 "$PULSE_LOG" >&2 || true
    return 1
  fi
  log "pulseaudio running (pid $(pulse_pid), unix:$SOCKET)"
}

stop_pulse() {
  local pid
  pid=$(pulse_pid || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "pulseaudio stopped (pid $pid)"
  fi
  rm -rf "$RUNTIME" "$STATE" "$DIR/home"
}

xvfb_pid() {
  [ -f "$XVFB_PID" ] && tr -dc '0-9' <"$XVFB_PID"
}

xvfb_running() {
  local pid display
  pid=$(xvfb_pid || true)
  display=$(cat "$XVFB_DISPLAY" 2>/dev/null || true)
  [ -n "$pid" ] && [ -n "$display" ] && kill -0 "$pid" 2>/dev/null && xset -display "$display" q >/dev/null 2>&1
}

start_xvfb() {
  if ! have Xvfb; then
    missing Xvfb xvfb
    return
  fi
  if ! have xset; then
    missing xset x11-xserver-utils
    return
  fi
  if xvfb_running; then
    log "Xvfb already running (display $(cat "$XVFB_DISPLAY"))"
    return
  fi
  mkdir -p "$DIR"
  # A display number nobody uses: no lock file and no socket. If another server takes it between
  # the check and the start, Xvfb exits ("Server is already active") and the next number is tried.
  local n pid i
  for n in $(seq 99 199); do
    [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ] && continue
    # setsid: its own session, so a Ctrl-C in the terminal that ran vitest does not kill it halfway
    # through a test run; `stop` (or the next `start`, which reuses it) deals with it.
    setsid Xvfb ":$n" -screen 0 "$SCREEN" -nolisten tcp -noreset >"$XVFB_LOG" 2>&1 </dev/null &
    pid=$!
    for i in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      xset -display ":$n" q >/dev/null 2>&1 && break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null && xset -display ":$n" q >/dev/null 2>&1; then
      echo "$pid" >"$XVFB_PID"
      echo ":$n" >"$XVFB_DISPLAY"
      log "Xvfb running (pid $pid, display :$n, screen $SCREEN)"
      return
    fi
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  log "ERROR: Xvfb did not start on any display from :99 to :199; its log:"
  tail -n 20 "$XVFB_LOG" >&2 || true
  return 1
}

stop_xvfb() {
  local pid
  pid=$(xvfb_pid || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 30); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    log "Xvfb stopped (pid $pid, display $(cat "$XVFB_DISPLAY" 2>/dev/null))"
  fi
  rm -f "$XVFB_PID" "$XVFB_DISPLAY"
}

print_env() {
  if pulse_running; then
    printf 'export XDG_RUNTIME_DIR=%q\n' "$RUNTIME"
    printf 'export PULSE_SERVER=%q\n' "unix:$SOCKET"
    printf 'export PULSE_COOKIE=%q\n' "$STATE/cookie"
  fi
  if xvfb_running; then
    printf 'export DISPLAY=%q\n' "$(cat "$XVFB_DISPLAY")"
  fi
}

status() {
  local ok=0
  if pulse_running; then
    echo "pulseaudio: running (pid $(pulse_pid), unix:$SOCKET)"
  elif have pulseaudio; then
    echo "pulseaudio: stopped"
    ok=1
  else
    echo "pulseaudio: not installed"
  fi
  if xvfb_running; then
    echo "Xvfb: running (pid $(xvfb_pid), display $(cat "$XVFB_DISPLAY"))"
  elif have Xvfb; then
    echo "Xvfb: stopped"
    ok=1
  else
    echo "Xvfb: not installed"
  fi
  return $ok
}

case "${1:-}" in
  start)
    start_pulse
    start_xvfb
    ;;
  stop)
    stop_xvfb
    stop_pulse
    ;;
  status) status ;;
  env) print_env ;;
  *)
    echo "usage: $0 start|stop|status|env" >&2
    exit 2
    ;;
esac
