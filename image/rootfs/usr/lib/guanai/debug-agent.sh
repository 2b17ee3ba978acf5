#!/bin/sh
# The test hook behind the virtio port guanai.debug (see
# etc/udev/rules.d/70-guanai-debug.rules): reads one command a line and
# answers with the output and a last line "END <status>".  Read-only:
#   dump     guanai-sync dump of the store
#   stats    guanai-sync stats
#   check    guanai-sync check (the store's invariants)
#   slots    the kernel command line (rauc.slot=), the running version and
#            rauc status --detailed --output-format=shell (read-only on
#            rauc's bus: etc/dbus-1/system.d/guanai-rauc.conf)
#   status   systemctl status of the Guanai units, memory of both programs,
#            guanai-sync status (the upload state)
#   texts    where each text of the kiosk's last frame is: "X Y W H TEXT"
#            lines ($GUANAI_TEXT_DUMP, set by kiosk.sh in a test VM only)
#   journal  the last 300 lines of this boot's journal
#   smaps    the kiosk's resident memory by what is mapped: one line
#            "smaps PID RSS_KIB PATH" a mapping path ([anon] for
#            anonymous memory, [heap], [stack]), largest first, summed
#            over /proc/PID/smaps (reading another user's smaps needs
#            CAP_SYS_PTRACE, which guanai-debug.service gives this hook)
#   mounts   what is mounted under /media (the USB sticks, as this
#            sandboxed service sees them, like the kiosk) and the state of
#            the guanai-usb@ units
#   updates  what guanai-sync has in /var/lib/guanai/update (a bundle
#            being downloaded, NAME.part, grows there): "ls -ln" with
#            sizes in bytes and times in seconds since 1970
#   ping X   answers pong X (the tester syncs on X)
set -u
port=$1

# A virtio port reads end-of-file while nobody is connected on the host
# side: then wait and open it again.
serve() {
while IFS= read -r cmd <&3; do
	rc=0
	case "$cmd" in
	dump) guanai-sync dump --data /var/lib/guanai >&3 2>&1 || rc=$? ;;
	stats) guanai-sync stats --data /var/lib/guanai >&3 2>&1 || rc=$? ;;
	check) guanai-sync check --data /var/lib/guanai >&3 2>&1 || rc=$? ;;
	slots)
		echo "cmdline $(cat /proc/cmdline)" >&3
		echo "version $(head -n 1 /usr/share/guanai/version)" >&3
		rauc status --detailed --output-format=shell >&3 2>&1 || rc=$? ;;
	texts) cat /run/guanai/texts >&3 2>&1 || rc=$? ;;
	smaps)
		rc=1
		for pid in $(pidof guanai-kiosk); do
			awk -v pid="$pid" '
				/^[0-9a-f]+-[0-9a-f]+ / {
					path = $6
					for (i = 7; i <= NF; i++) path = path " " $i
					if (path == "") path = "[anon]"
					next
				}
				$1 == "Rss:" { rss[path] += $2 }
				END { for (p in rss) if (rss[p] > 0)
					printf "smaps %s %d %s\n", pid, rss[p], p }
			' /proc/"$pid"/smaps | sort -k3,3nr >&3 2>&1 && rc=0
		done ;;
	journal) journalctl -b --no-pager -o short-monotonic -n 300 >&3 2>&1 || rc=$? ;;
	mounts)
		grep ' /media' /proc/self/mounts >&3 2>&1 || true
		systemctl --no-pager --no-legend --all list-units 'guanai-usb@*' >&3 2>&1 || rc=$? ;;
	status)
		for p in guanai-kiosk guanai-sync; do
			for pid in $(pidof "$p"); do
				echo "mem $p pid=$pid $(grep -E '^(VmRSS|VmHWM|RssAnon|RssFile|RssShmem):' /proc/"$pid"/status | tr -s ' \t\n' ' ')" >&3
			done
		done
		systemctl --no-pager is-active guanai-kiosk guanai-sync guanai-storage guanai-provision >&3 2>&1 || rc=$?
		guanai-sync status --data /var/lib/guanai >&3 2>&1 || rc=$?
		echo "uptime $(cut -d' ' -f1 /proc/uptime)" >&3
		free -k >&3 ;;
	updates) ls -ln --time-style=+%s /var/lib/guanai/update >&3 2>&1 || rc=$? ;;
	ping*) echo "pong${cmd#ping}" >&3 ;;
	'') continue ;;
	*) echo "unknown command: $cmd" >&3; rc=2 ;;
	esac
	echo "END $rc" >&3
done
}

while :; do
	exec 3<>"$port" || exit 1
	serve
	exec 3>&-
	sleep 1
done
