#!/usr/bin/env bash
# lk's load tester embeds its test media from pkg/provider/resources, but the module zip on the Go proxy holds Git
# LFS pointers there (130-byte text files), so an lk built from it cannot publish anything. This replaces every
# pointer with media generated here: spoken sentences (espeak-ng → Opus in Ogg) and moving test patterns at the
# resolution and bitrate each file name asks for (H.264 Annex B, baseline, no B-frames; VP8 in IVF), 10 s each.
# Usage: infra/lk_media.sh <pkg/provider/resources folder>
set -euo pipefail
dir=$1
is_pointer() { head -c 40 "$1" | grep -q "git-lfs.github.com"; }
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

for file in "$dir"/*.ogg; do
  is_pointer "$file" || continue
  voice=$(basename "$file" .ogg); voice=${voice#change-}
  wav=$(mktemp --suffix .wav)
  espeak-ng -v en-us -s 150 -w "$wav" \
    "Hello, this is $voice. I am testing the load on this LiveKit server with a spoken sentence that loops."
  ff -i "$wav" -ar 48000 -ac 1 -c:a libopus -b:a 32k -page_duration 20000 -f ogg "$file"
  rm -f "$wav"
done

for file in "$dir"/*.h264 "$dir"/*.ivf; do
  is_pointer "$file" || continue
  name=$(basename "$file"); stem=${name%.*}; ext=${name##*.}
  # <prefix>_<height or p+height>_<kbps>: e.g. butterfly_360_400.h264, circles_p540_2000.h264
  kbps=${stem##*_}; rest=${stem%_*}; height=${rest##*_}; height=${height#p}
  width=$(( (height * 16 / 9 + 1) / 2 * 2 ))
  fps=30; [ "$height" -le 180 ] && fps=15
  pattern="testsrc2=size=${width}x${height}:rate=${fps}"
  if [ "$ext" = h264 ]; then
    ff -f lavfi -i "$pattern" -t 10 -pix_fmt yuv420p -c:v libx264 -preset veryfast -profile:v baseline -bf 0 -g "$fps" \
      -b:v "${kbps}k" -maxrate "${kbps}k" -bufsize "$((kbps * 2))k" -bsf:v h264_mp4toannexb -f h264 "$file"
  else
    ff -f lavfi -i "$pattern" -t 10 -pix_fmt yuv420p -c:v libvpx -deadline realtime -cpu-used 8 -b:v "${kbps}k" \
      -g "$fps" -f ivf "$file"
  fi
done
