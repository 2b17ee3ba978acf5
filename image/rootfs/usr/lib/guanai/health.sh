#!/bin/sh
# guanai-health.service: marks the booted root slot good once the terminal
# is healthy, and otherwise hands it back to GRUB (docs/image.md, "A/B
# slots").  Healthy means, in this boot:
#   1. the kiosk drew its first frame ("guanai-kiosk: ready" in the kiosk
#      unit's journal; the kiosk prints it after its first present);
#   2. the store opens (guanai-sync stats, read-only, as guanai-sync);
#   3. guanai-sync.service is active.
# A terminal that is not provisioned yet has nothing to protect: its slot is
# marked good at once.  Healthy within GUANAI_HEALTH_TIMEOUT seconds (300)
# of boot: `rauc status mark-good`.  Not: if the other slot is good, the
# booted one is marked bad and the terminal reboots, so GRUB boots the
# other; if there is no other good slot, it stays up (rebooting would only
# loop) and says so.
# It also keeps DATA/update.state (the head's screen reads it), in the
# format docs/image.md gives: from, to, installed, result good|rolled-back,
# boots.  DATA/update.last holds the version last marked good,
# DATA/update.tries the boots tried of a version not yet marked good.
set -u

DATA=/var/lib/guanai
STATE=$DATA/update.state
LAST=$DATA/update.last
TRIES=$DATA/update.tries
VERSION_FILE=/usr/share/guanai/version
TIMEOUT=${GUANAI_HEALTH_TIMEOUT:-300}

say() { echo "guanai-health: $*"; }

uptime_s() { cut -d. -f1 /proc/uptime; }

# key FILE KEY: the value of KEY in a key = value file (empty if none).
key() {
	[ -r "$1" ] || return 0
	sed -n "s/^$2[[:space:]]*=[[:space:]]*//p" "$1" | sed 's/[[:space:]]*$//' | tail -n 1
}

# put FILE: stdin becomes FILE, whole (written beside it, then renamed),
# readable by the guanai group (the kiosk).
put() {
	cat > "$1.new" && chown guanai-sync:guanai "$1.new" &&
		chmod 0640 "$1.new" && mv -f "$1.new" "$1"
}

slot=$(sed -n 's/.*rauc\.slot=\([A-Za-z0-9]*\).*/\1/p' /proc/cmdline)
if [ -z "$slot" ]; then
	say "no rauc.slot= on the kernel command line: not booted through RAUC's GRUB, nothing to mark"
	exit 0
fi
version=$(head -n 1 "$VERSION_FILE" 2>/dev/null || echo unknown)
last=$(key "$LAST" version)

# A version not yet marked good on this terminal: count its boots.
if [ -n "$last" ] && [ "$last" != "$version" ]; then
	n=0
	[ "$(key "$TRIES" version)" = "$version" ] && n=$(key "$TRIES" boots)
	printf 'version = %s\nboots = %s\n' "$version" $((${n:-0} + 1)) | put "$TRIES"
fi

healthy() {
	[ -e /etc/guanai/provisioned ] || return 0
	systemctl -q is-active guanai-sync.service || return 1
	runuser -u guanai-sync -- /usr/bin/guanai-sync stats --data "$DATA" \
		>/dev/null 2>&1 || return 1
	journalctl -b -u guanai-kiosk.service -o cat --no-pager 2>/dev/null |
		grep -q '^guanai-kiosk: ready'
}

# The other slot's boot status and what rauc last installed into it.
other_slot() {
	other_good=0 other_version='' other_installed='' bs=''
	st=$(rauc status --detailed --output-format=shell 2>/dev/null) || return 0
	eval "$st"
	for i in ${RAUC_SLOTS:-}; do
		eval "bn=\${RAUC_SLOT_BOOTNAME_$i:-}"
		[ -n "$bn" ] && [ "$bn" != "$slot" ] || continue
		eval "bs=\${RAUC_SLOT_BOOT_STATUS_$i:-}"
		eval "other_version=\${RAUC_SLOT_STATUS_BUNDLE_VERSION_$i:-}"
		eval "other_installed=\${RAUC_SLOT_STATUS_INSTALLED_TIMESTAMP_$i:-}"
		[ "$bs" = good ] && other_good=1
	done
	return 0
}

end=$(( $(uptime_s) + TIMEOUT ))
until healthy; do
	if [ "$(uptime_s)" -ge "$end" ]; then
		other_slot
		if [ "$other_good" = 1 ]; then
			say "slot $slot ($version) not healthy within $TIMEOUT s: marking it bad and rebooting into the other slot"
			rauc status mark-bad || true
			systemctl reboot
			exit 1
		fi
		say "slot $slot ($version) not healthy within $TIMEOUT s, and no other slot is good: staying up"
		exit 1
	fi
	sleep 2
done

if ! rauc status mark-good; then
	say "rauc status mark-good failed for slot $slot"
	exit 1
fi
say "slot $slot ($version) is healthy: marked good"
now=$(date +%s)

if [ -z "$last" ]; then
	:
elif [ "$last" != "$version" ]; then
	# The first good boot of a new version: the update worked.
	other_slot
	boots=$(key "$TRIES" boots)
	printf 'from = %s\nto = %s\ninstalled = %s\nresult = good\nboots = %s\n' \
		"$last" "$version" "$now" "${boots:-1}" | put "$STATE"
	rm -f "$TRIES"
else
	# The same version as before: was an update of the other slot tried
	# and undone?  rauc's status says what went into it and when.
	other_slot
	if [ "$other_good" = 0 ] && [ -n "$other_version" ] &&
		[ "$other_version" != "$version" ] && [ -n "$other_installed" ]; then
		ts=$(date -d "$other_installed" +%s 2>/dev/null || echo "$now")
		lastts=$(key "$LAST" since)
		if [ "$ts" -gt "${lastts:-0}" ] &&
			[ "$(key "$STATE" installed)" != "$ts" ]; then
			boots=1
			[ "$(key "$TRIES" version)" = "$other_version" ] && boots=$(key "$TRIES" boots)
			printf 'from = %s\nto = %s\ninstalled = %s\nresult = rolled-back\nboots = %s\n' \
				"$version" "$other_version" "$ts" "${boots:-1}" | put "$STATE"
			say "the update to $other_version was undone: slot $slot ($version) runs again"
		fi
	fi
fi
[ "$last" = "$version" ] ||
	printf 'version = %s\nslot = %s\nsince = %s\n' "$version" "$slot" "$now" | put "$LAST"
exit 0
