#!/bin/sh
# USB sticks for the kiosk's 导出到U盘 (docs/image.md, "USB export"), as root:
#   usb.sh mount NAME     guanai-usb@NAME.service: mounts /dev/NAME (FAT or
#                         exFAT) on /media/usb-NAME: nodev,nosuid,noexec,
#                         noatime, owner root, group guanai-kiosk, files
#                         0660, folders 0770.  Nothing on the stick can run,
#                         be a device or gain privileges; only the kiosk's
#                         group may write.
#   usb.sh unmount NAME   its ExecStop: unmounts (lazily if the stick is
#                         gone already) and removes the mount point.
#   usb.sh eject FILE     guanai-usb-eject.service: FILE (written by the
#                         kiosk, so untrusted) names a mount point
#                         /media/usb-NAME; stops guanai-usb@NAME.service,
#                         which unmounts it, then removes FILE.
# /media is a tmpfs (etc/fstab) owned by root, so the kiosk can neither
# make nor swap a mount point.
set -eu
say() { echo "guanai-usb: $*"; }

name_ok() { printf '%s' "$1" | grep -Eq '^[a-z][a-z0-9]{0,15}$'; }

case "${1:-}" in
mount)
	name=$2
	name_ok "$name" || { say "bad device name"; exit 1; }
	dev=/dev/$name mp=/media/usb-$name
	type=$(blkid -o value -s TYPE "$dev" 2>/dev/null || true)
	gid=$(getent group guanai-kiosk | cut -d: -f3)
	[ -n "$gid" ] || { say "no group guanai-kiosk"; exit 1; }
	opts=nodev,nosuid,noexec,noatime,uid=0,gid=$gid,fmask=0117,dmask=0007
	case "$type" in
	vfat) opts=$opts,utf8,flush ;;
	exfat) ;;
	*) say "$dev: file system '${type:-none}' is not FAT or exFAT: not mounted"; exit 0 ;;
	esac
	mkdir -p "$mp"
	chmod 0755 "$mp"
	if ! mount -t "$type" -o "$opts" "$dev" "$mp"; then
		rmdir "$mp" 2>/dev/null || true
		say "$dev: cannot mount ($type)"
		exit 1
	fi
	say "$dev ($type) mounted on $mp for the kiosk's export"
	;;
unmount)
	name=$2
	name_ok "$name" || { say "bad device name"; exit 1; }
	mp=/media/usb-$name
	if mountpoint -q "$mp"; then
		sync -f "$mp" 2>/dev/null || true
		umount "$mp" 2>/dev/null || umount -l "$mp"
		say "$mp unmounted"
	fi
	rmdir "$mp" 2>/dev/null || true
	;;
eject)
	req=$2
	# A regular file, never a link or a FIFO (the kiosk's group may write
	# there); only its first line, only a /media/usb-NAME path.
	if [ -f "$req" ] && [ ! -L "$req" ]; then
		mp=$(head -c 64 "$req" | head -n 1)
	else
		mp=
	fi
	rm -f "$req"
	name=${mp#/media/usb-}
	if [ "$name" = "$mp" ] || ! name_ok "$name"; then
		say "eject: the request does not name a /media/usb-NAME stick"
		exit 1
	fi
	systemctl stop "guanai-usb@$name.service"
	say "eject: $mp done"
	;;
*)
	echo "usage: usb.sh mount NAME | unmount NAME | eject FILE" >&2
	exit 2
	;;
esac
