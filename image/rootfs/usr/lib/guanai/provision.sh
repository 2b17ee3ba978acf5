#!/bin/sh
# guanai-provision.service: applies the provisioning file once, on the first
# boot (the unit runs only while /etc/guanai/provisioned does not exist).
#
# Where the file is looked for, first found wins:
#   1. guanai.conf on a USB stick (any FAT/ext4 file system labelled GUANAI),
#      waited for up to 15 s;
#   2. /data/provision/guanai.conf on the data partition.
# The format (docs/image.md): "key = value" lines, # comments, UTF-8:
#   school_id      required, letters digits - _ , at most 32
#   school_name    required, at most 64 bytes
#   device         required, letters digits - _ , at most 32
#   upload_url     required, https://, http:// or file:///
#   allow_http     yes to accept an http:// upload_url (never with a token;
#                  guanai-sync refuses plain http without it)
#   upload_token   optional device token
#   children_csv, staff_csv   optional roster files beside guanai.conf
# The generated /etc/guanai/sync.conf has guanai-sync's own keys (url,
# token; docs/sync.md); a sync.conf beside guanai.conf (client certificates,
# S3, pins, timers) is copied verbatim instead.  /etc/guanai/kiosk.conf
# points the kiosk at the daemon's poke socket; a kiosk.conf beside
# guanai.conf is copied, and gets that line if it lacks one.  Both files are
# checked by their programs (guanai-sync run --check, guanai-kiosk -n).
#
# All or nothing: the store is made and the roster imported in a staging
# directory and moved into /var/lib/guanai only when every step succeeded.
# On any problem nothing is kept, the reason is shown full-screen
# (guanai-message.service) and on the console, and the unit fails; the next
# boot tries again.
set -u

stage=/var/lib/guanai/.provision
msg=/run/guanai/message
mnt=/run/guanai-stick

say() { echo "guanai-provision: $*"; }

fail() {
	say "error: $*" >&2
	mkdir -p /run/guanai
	{
		echo "设备尚未配置 · This terminal is not set up yet"
		echo ""
		echo "$*"
		echo ""
		echo "请插入标有 GUANAI 的U盘（含 guanai.conf），然后重新启动。"
		echo "Insert the USB stick labelled GUANAI with guanai.conf, then restart."
	} > "$msg"
	chmod 0644 "$msg"
	rm -rf "$stage"
	mountpoint -q "$mnt" && umount "$mnt"
	systemctl --no-block start guanai-message.service
	exit 1
}

as_sync() {
	setpriv --reuid=guanai-sync --regid=guanai-sync --init-groups -- "$@"
}

# 1. Find the file.
src=
i=0
while [ $i -lt 15 ]; do
	if [ -e /dev/disk/by-label/GUANAI ]; then
		mkdir -p "$mnt"
		if mount -o ro,nodev,nosuid,noexec /dev/disk/by-label/GUANAI "$mnt" 2>/dev/null &&
			[ -f "$mnt/guanai.conf" ]; then
			src=$mnt
		fi
		break
	fi
	i=$((i + 1))
	sleep 1
done
if [ -z "$src" ] && [ -f /data/provision/guanai.conf ]; then
	src=/data/provision
fi
[ -n "$src" ] || fail "未找到配置文件 guanai.conf · No provisioning file guanai.conf found"
say "reading $src/guanai.conf"

# 2. Parse and check it.
school_id= school_name= device= upload_url= upload_token= children_csv=
staff_csv= allow_http=
line=0
while IFS= read -r l || [ -n "$l" ]; do
	line=$((line + 1))
	l=$(printf '%s' "$l" | sed 's/\r$//; s/^\xef\xbb\xbf//; s/^[ \t]*//; s/[ \t]*$//')
	case "$l" in '' | '#'*) continue ;; esac
	case "$l" in *=*) ;; *) fail "guanai.conf:$line: expected key = value" ;; esac
	k=$(printf '%s' "${l%%=*}" | sed 's/[ \t]*$//')
	v=$(printf '%s' "${l#*=}" | sed 's/^[ \t]*//')
	case "$k" in
	school_id) school_id=$v ;;
	school_name) school_name=$v ;;
	device) device=$v ;;
	upload_url) upload_url=$v ;;
	upload_token) upload_token=$v ;;
	allow_http) allow_http=$v ;;
	children_csv) children_csv=$v ;;
	staff_csv) staff_csv=$v ;;
	*) fail "guanai.conf:$line: unknown key '$k'" ;;
	esac
done < "$src/guanai.conf"

ident() { printf '%s' "$1" | grep -Eq '^[A-Za-z0-9_-]{1,32}$'; }
ident "$school_id" || fail "guanai.conf: school_id missing or not letters/digits (max 32)"
ident "$device" || fail "guanai.conf: device missing or not letters/digits (max 32)"
[ -n "$school_name" ] && [ ${#school_name} -le 64 ] ||
	fail "guanai.conf: school_name missing or too long"
case "$upload_url" in
https://?* | http://?* | file:///*) ;;
*) fail "guanai.conf: upload_url missing or not https://, http:// or file://" ;;
esac
case "$upload_url" in
http://*)
	[ "$allow_http" = yes ] ||
		fail "guanai.conf: upload_url is plain http://: use https://, or add allow_http = yes"
	[ -z "$upload_token" ] ||
		fail "guanai.conf: an upload_token is never sent over plain http://: use https://"
	;;
esac
for f in "$children_csv" "$staff_csv"; do
	[ -z "$f" ] || [ -f "$src/$f" ] || fail "guanai.conf: roster file $f not found beside guanai.conf"
done
[ -z "$children_csv" ] || [ -n "$staff_csv" ] ||
	fail "guanai.conf: children_csv needs staff_csv too"

# 3. The store, in a staging directory.
rm -rf "$stage"
mkdir -p "$stage"
chown guanai-sync:guanai "$stage"
chmod 2770 "$stage"
umask 007
out=$(as_sync guanai-sync init --data "$stage" --school-id "$school_id" \
	--school-name "$school_name" --device "$device" 2>&1) ||
	fail "guanai-sync init: $out"
if [ -n "$children_csv" ]; then
	cp "$src/$children_csv" "$stage/children.csv"
	cp "$src/$staff_csv" "$stage/staff.csv"
	chown guanai-sync "$stage/children.csv" "$stage/staff.csv"
	out=$(as_sync guanai-sync import-roster --data "$stage" \
		"$stage/children.csv" "$stage/staff.csv" 2>&1) ||
		fail "名单导入失败 · roster import failed: $(printf '%s' "$out" | head -n 5)"
	rm -f "$stage/children.csv" "$stage/staff.csv"
fi

# 4. The configuration, checked by the programs that read it.
umask 077
tmp=/etc/guanai/.sync.conf.new
{
	echo "# Written by guanai-provision from $src/guanai.conf on $(date -Iseconds)"
	echo "# Keys: docs/sync.md (guanai-sync run --config FILE --check)"
	echo "url = $upload_url"
	[ -z "$upload_token" ] || echo "token = $upload_token"
	[ "$allow_http" != yes ] || echo "allow_http = yes"
} > "$tmp"
[ ! -f "$src/sync.conf" ] || cp "$src/sync.conf" "$tmp"
chown guanai-sync:guanai-sync "$tmp"
chmod 0600 "$tmp"
out=$(as_sync guanai-sync run --config "$tmp" --data "$stage" --check 2>&1) ||
	{ rm -f "$tmp"; fail "sync.conf: $(printf '%s' "$out" | head -n 3)"; }
ktmp=/etc/guanai/.kiosk.conf.new
{
	echo "# Written by guanai-provision on $(date -Iseconds); keys: assets/kiosk.conf.example"
	[ ! -f "$src/kiosk.conf" ] || cat "$src/kiosk.conf"
	grep -q '^[ \t]*sync_socket[ \t]*=' "$src/kiosk.conf" 2>/dev/null ||
		echo "sync_socket = /var/lib/guanai/sync.sock"
} > "$ktmp"
chown root:guanai "$ktmp"
chmod 0640 "$ktmp"
out=$(cd /usr/share/guanai && guanai-kiosk --config "$ktmp" -n 2>&1) ||
	{ rm -f "$tmp" "$ktmp"; fail "kiosk.conf: $(printf '%s' "$out" | head -n 3)"; }
mv "$tmp" /etc/guanai/sync.conf
mv "$ktmp" /etc/guanai/kiosk.conf

# 5. Move the store into place, then mark provisioning done: a power cut
# before the mark repeats provisioning, after it never.
for f in "$stage"/*; do
	[ -e "$f" ] && mv -f "$f" /var/lib/guanai/
done
rmdir "$stage"
# A file:/// target inside the data directory (a folder a USB export or a
# test reads) is made here; any other folder must exist already.
case "$upload_url" in
file:///var/lib/guanai/?*)
	d=${upload_url#file://}
	mkdir -p "$d"
	chown guanai-sync:guanai "$d"
	chmod 2770 "$d" ;;
esac
sync
printf 'school_id=%s\ndevice=%s\nsource=%s\ndate=%s\n' "$school_id" "$device" \
	"$src" "$(date -Iseconds)" > /etc/guanai/.provisioned.new
sync
mv /etc/guanai/.provisioned.new /etc/guanai/provisioned
sync
mountpoint -q "$mnt" && umount "$mnt"
say "provisioned school $school_id device $device"
