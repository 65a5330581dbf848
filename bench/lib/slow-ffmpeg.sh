#!/bin/bash
# An ffmpeg slowed down on purpose, for bench/recorder-load.mjs: set as MEDIACAPTURE_FFMPEG, it
# runs the real ffmpeg (SLOW_FFMPEG_REAL, default `ffmpeg` on PATH) in its own pid (exec) and
# duty-cycles it with SIGSTOP / SIGCONT: SLOW_FFMPEG_RUN_MS running, then SLOW_FFMPEG_STOP_MS
# stopped, over and over, from SLOW_FFMPEG_AFTER_MS after its start (default 0: at once; the
# bench lets it start up at full speed, as an encoder that is slow at encoding would). The program
# and its work are unchanged; it only gets less time, like an encoder on a machine whose cores are
# busy. Nothing here uses CPU to slow it down.
#
# The format probes (-encoders, -muxers, -protocols, -version) run at full speed.
real=${SLOW_FFMPEG_REAL:-ffmpeg}
case " $* " in
  *" -encoders "* | *" -muxers "* | *" -protocols "* | *" -version "*) exec "$real" "$@" ;;
esac
pid=$$
run=$(awk "BEGIN { print ${SLOW_FFMPEG_RUN_MS:-10} / 1000 }")
stop=$(awk "BEGIN { print ${SLOW_FFMPEG_STOP_MS:-30} / 1000 }")
after=$(awk "BEGIN { print ${SLOW_FFMPEG_AFTER_MS:-0} / 1000 }")
(
  # `read -t` on a pipe nobody writes to sleeps without starting a process per sleep.
  exec {sleeper}<> <(:)
  read -t "$after" -u "$sleeper"
  read -t "$run" -u "$sleeper"
  # Ends when the program is gone (kill fails), leaving it running if it is still there.
  while kill -STOP "$pid" 2>/dev/null; do
    read -t "$stop" -u "$sleeper"
    kill -CONT "$pid" 2>/dev/null || break
    read -t "$run" -u "$sleeper"
  done
) </dev/null >/dev/null 2>&1 &
exec "$real" "$@"
