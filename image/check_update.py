#!/usr/bin/env python3
"""image/check_update.py: the A/B updates on the real image under QEMU (TCG).

Called by image/check.sh full (make image-check-full) after image/check.py,
whose helpers it imports (the VM, taps, the debug port, sticks).  Steps,
each named in the failure message:

  update-prepare    three bundles of build/image/rootfs: version 2.0 (the
                    same root, usr/share/guanai/version 2.0), 3.0 whose
                    kiosk never becomes healthy (guanai-kiosk.service runs
                    a sleep; its health unit gives up after 60 s), both
                    signed by the image's test CA with image/bundle.sh
                    (gzip, SQUASHFS_OPTS: xz takes minutes); and a small
                    one signed by another CA (tests/lib/rauc.sh); a FAT
                    stick for each; a fresh disk over the image
  update-boot       the first boot of version 1 (provisioning stick), a
                    lecture and a check-in, the head's first sign-in: the
                    records an update must keep
  update-usb        the 2.0 stick is hot-plugged; the head signs in, taps
                    系统更新, 安装, his PIN; the bar moves; the terminal
                    reboots by itself (guanai-reboot.path); it comes up in
                    slot B (rauc.slot=B, rauc status), version 2.0 on the
                    head's screen (系统已更新到 2.0), slot B marked good,
                    every record there, guanai-sync check clean
  update-fallback   the 3.0 stick: installed into A, rebooted; 3.0 is not
                    healthy, guanai-health marks it bad and reboots; slot B
                    (2.0) boots by itself, the store is intact and the
                    head's screen says 更新到 3.0 失败，已恢复 2.0
  update-power-cut  the 3.0 stick again; QEMU is SIGKILLed while the bar is
                    between 20 and 80 % (rauc checks the bundle), then in
                    a second install while rauc writes the slot (the bar
                    at 90 %, 96 MiB written); each time the terminal boots
                    the slot and version it ran before (2.0 from B),
                    store intact
  update-net        over the network: the terminal (its sync.conf, from the
                    provisioning stick, names a host nginx as 10.0.2.2) is
                    powered on with QEMU's user network; guanai-sync finds
                    4.0 in the update folder and downloads it, slowly
                    (limit_rate); nginx is stopped once the .part holds
                    NET_CUT_MIB and started again; the download must go on
                    with a Range request (206) and the whole be served
                    about once; the daemon checks it, installs it (quiet
                    hours 00-24) and asks for the reboot; the terminal
                    comes up in the other slot at 4.0, good, store intact,
                    系统已更新到 4.0 on the head's screen
  update-refused    the stick signed by another CA: the head's screen
                    refuses it (没有我们的签名), nothing installed (rauc's
                    slot states unchanged)
  update-migrate    the one-time path of a terminal installed before the
                    A/B slots: a disk in the old layout (ESP, one 1000 MiB
                    guanai-root, guanai-data) whose data partition is this
                    terminal's, migrated by image/migrate-ab.sh from the
                    image; the data partition byte for byte as it was; it
                    boots slot A (1.0), good, with every record there

Screenshots build/image/1[0-9]-*.png, figures added to
build/image/figures.txt.  Exit status 0 all passed, 1 a step failed.
"""
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import check
from check import StepFailed, fail, figures, log, step

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
CA = os.path.join(check.BUILD, "rauc-test-ca")
ROOT = os.path.join(check.OUT, "rootfs")
# A test bundle is packed fast: xz of the whole root takes minutes on
# two shared cores, gzip -1 tens of seconds (GRUB and the kernel read both).
SQUASHFS_OPTS = os.environ.get("UPDATE_SQUASHFS_OPTS",
                               "-comp gzip -Xcompression-level 1")
INSTALL_TIMEOUT = int(os.environ.get("IMAGE_INSTALL_TIMEOUT", "1200"))
BAD_HEALTH_TIMEOUT = 60
PCT = re.compile(r"正在安装：(\d+)%")
# rauc 1.8's bar: checking the bundle is 0-60 %, writing the slot is the
# step at 90 % (it stays there until the image is copied), then 99, 100.
WRITE_PCT = 90
# The second power cut: this much of the slot written (of ~324 MiB), as
# QEMU counts the guest's writes to its disk (the qcow2 file's growth
# does not do: a slot written before does not grow it).
# IMAGE_UPDATE_CUT_WRITE=0 leaves this cut out.
CUT_WRITTEN_MIB = 96
CUT_WRITE = os.environ.get("IMAGE_UPDATE_CUT_WRITE", "1") != "0"
# The steps after update-boot, in order; IMAGE_UPDATE_STEPS picks some
# (each needs the ones before it, but update-refused runs on its own).
STEPS = ("update-usb", "update-fallback", "update-power-cut", "update-net",
         "update-refused", "update-migrate")
# update-migrate: the old single-slot root of the first wave's image.
MIGRATE_ROOT_MIB = 1000
# update-net: the bundle comes this fast (nginx limit_rate), so the cut
# lands midway; nginx is stopped once the guest's .part holds this much.
NET_RATE = os.environ.get("IMAGE_UPDATE_NET_RATE", "3m")
NET_CUT_MIB = 32
NET_VERSION = "4.0"
WANT = os.environ.get("IMAGE_UPDATE_STEPS", " ".join(STEPS)).split()


def sh(cmd, **kw):
    r = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if r.returncode != 0:
        fail(f"{cmd[0]} exited {r.returncode}: "
             + " / ".join((r.stdout + r.stderr).splitlines()[-6:]))
    return r.stdout


def replace_file(path, text):
    """Writes TEXT as PATH in a hard-linked copy of the root: the link is
    removed first, so the image's own root is never written."""
    os.unlink(path)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def make_root(name, version):
    """A copy of the image's root (hard links: seconds, no space) of
    version VERSION."""
    root = os.path.join(check.WORK, "root-" + name)
    shutil.rmtree(root, ignore_errors=True)
    sh(["cp", "-al", ROOT, root])
    replace_file(os.path.join(root, "usr/share/guanai/version"), version + "\n")
    return root


def never_healthy(root):
    """The kiosk of ROOT never draws a frame, and its health check gives
    up after BAD_HEALTH_TIMEOUT s instead of 300."""
    units = os.path.join(root, "etc/systemd/system")
    p = os.path.join(units, "guanai-kiosk.service")
    with open(p, encoding="utf-8") as f:
        text = f.read()
    text, n = re.subn(r"(?m)^ExecStart=.*$", "ExecStart=/bin/sleep infinity", text)
    if n != 1:
        fail(f"{p}: no single ExecStart= to replace")
    replace_file(p, text)
    p = os.path.join(units, "guanai-health.service")
    with open(p, encoding="utf-8") as f:
        text = f.read()
    text = text.replace("[Service]\n", "[Service]\nEnvironment="
                        f"GUANAI_HEALTH_TIMEOUT={BAD_HEALTH_TIMEOUT}\n", 1)
    replace_file(p, text)


def make_bundle(keys, root, out, desc):
    t0 = time.monotonic()
    env = dict(os.environ, BUNDLE_ROOT=os.path.abspath(root),
               BUNDLE_OUT=os.path.abspath(out), DESCRIPTION=desc,
               SQUASHFS_OPTS=SQUASHFS_OPTS,
               GUANAI_SIGN_CERT=os.path.join(keys, "signing.pem"),
               GUANAI_SIGN_KEY=os.path.join(keys, "signing.key"),
               GUANAI_SIGN_KEYRING=os.path.join(keys, "ca.pem"))
    sh([os.path.join(HERE, "bundle.sh")], env=env)
    mib = os.path.getsize(out) / 1048576
    log(f"{out}: {mib:.0f} MiB in {time.monotonic() - t0:.0f} s")
    return mib


def bundle_stick(path, bundle):
    """A FAT stick with BUNDLE in its top folder, room to spare."""
    mib = os.path.getsize(bundle) // 1048576 + 64
    check.blank_stick(path, label="UPDATE", mib=mib)
    sh(["mcopy", "-i", path, bundle, "::/" + os.path.basename(bundle)],
       env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return os.path.abspath(path)


def slots(vm):
    """The running slot, version and rauc status: {"slot", "version",
    RAUC_...} from the debug agent's 'slots'."""
    st, lines = vm.debug("slots", timeout=60)
    if st != 0:
        fail("rauc status failed: " + " / ".join(lines[-4:]))
    out = {}
    for l in lines:
        if l.startswith("cmdline "):
            m = re.search(r"\brauc\.slot=(\w+)", l)
            out["slot"] = m.group(1) if m else ""
        elif l.startswith("version "):
            out["version"] = l[8:].strip()
        else:
            m = re.match(r"^(RAUC_\w+)='?(.*?)'?$", l)
            if m:
                out[m.group(1)] = m.group(2)
    return out


def boot_status(st, bootname):
    """rauc's boot status (good, bad) of the slot called BOOTNAME."""
    for i in st.get("RAUC_SLOTS", "").split():
        if st.get(f"RAUC_SLOT_BOOTNAME_{i}") == bootname:
            return st.get(f"RAUC_SLOT_BOOT_STATUS_{i}", "")
    return ""


# Every QEMU started, the last one first: a failed step kills them all.
VMS = []


def power_on(name, disk, stick=None, net=False):
    vm = check.VM(name, disk, stick, net)
    VMS.insert(0, vm)
    return vm


def boot(name, disk, stick=None, net=False):
    """Powers on; the kiosk is up and settled, the debug agent answers."""
    vm = power_on(name, disk, stick, net)
    vm.wait_serial(r"guanai-kiosk: ready", check.BOOT_TIMEOUT)
    figures[f"{name}_to_first_frame_s"] = round(time.monotonic() - vm.t0, 1)
    vm.qmp_connect()
    vm.wait_stable()
    vm.wait_lit(name)
    vm.debug_ready()
    return vm


def store_intact(vm, before):
    """Every record of BEFORE is in the store; guanai-sync check is clean."""
    recs = check.dump(vm)
    after = {check.key(r) for r in recs}
    lost = before - after
    if lost:
        fail(f"{len(lost)} records lost: {sorted(lost, key=str)[:5]}")
    st, lines = vm.debug("check")
    if st != 0:
        fail(f"guanai-sync check exited {st}: " + " / ".join(lines[-5:]))
    log(f"all {len(before)} records are there ({len(after)} in all); "
        f"guanai-sync check: {' / '.join(lines[-2:])}")
    return after


def expect_slot(vm, slot, version, good=True):
    """The terminal runs SLOT at VERSION; with GOOD, rauc marked it good
    (guanai-health, at most 180 s after the kiosk is up)."""
    end = time.monotonic() + 180
    while True:
        st = slots(vm)
        if st.get("slot") != slot or st.get("version") != version:
            fail(f"booted slot {st.get('slot')!r} version {st.get('version')!r}, "
                 f"not slot {slot} version {version}")
        if not good or boot_status(st, slot) == "good":
            break
        if time.monotonic() > end:
            fail(f"slot {slot} was not marked good within 180 s "
                 f"(rauc: {boot_status(st, slot)!r})")
        time.sleep(3)
    log(f"slot {slot}, version {version}; rauc: booted "
        f"{st.get('RAUC_SYSTEM_BOOTED_BOOTNAME')}, A {boot_status(st, 'A')}, "
        f"B {boot_status(st, 'B')}")
    return st


def comes_up(name, disk, before, slot, version):
    """Powers on after an update (or its failure): SLOT runs VERSION,
    marked good, with every record of BEFORE.  Returns the VM and the
    records now."""
    vm = boot(name, disk)
    expect_slot(vm, slot, version)
    return vm, store_intact(vm, before)


def head_says(vm, taps, prefix, shot):
    """The head signs in; his screen has a text starting with PREFIX.  A
    text wrapped at a space comes as one without it: spaces are left out
    of the comparison."""
    check.play(vm, taps["head"], 1)
    want = prefix.replace(" ", "")
    end = time.monotonic() + 60
    while time.monotonic() < end:
        shown = [t[4] for t in vm.texts()]
        hit = [t for t in shown if t.replace(" ", "").startswith(want)]
        if hit:
            vm.screenshot(shot)
            log(f"the head's screen says: {hit[0]}")
            check.tap_text(vm, "退出")
            return
        time.sleep(1)
    vm.screenshot(shot)
    fail(f"the head's screen does not say {prefix}…; it shows: "
         + " | ".join(shown))


def start_install(vm, taps, stick, name, shots):
    """Plugs STICK, the head opens 系统更新 and confirms 安装 with his PIN.
    Returns the time of the tap on 安装."""
    check.plug_stick(vm, name, stick)
    check.play(vm, taps["head"], 1)
    check.play(vm, taps["update-open"], 1, shots=shots)
    vm.find_text("安装", timeout=120)
    if shots:
        vm.screenshot("11-update-info")
    shown = [t[4] for t in vm.texts()]
    log("the update screen shows: " + " | ".join(shown))
    check.play(vm, taps["update-install"], 1)
    t0 = time.monotonic() - 1.0  # tap_text waits 1 s after its tap
    if shots:
        vm.screenshot("12-update-pin")
    check.play(vm, taps["update-pin"], 1)
    return t0


def written(vm):
    """Bytes the guest has written to its disk (QMP query-blockstats)."""
    return sum(d["stats"]["wr_bytes"] for d in vm.cmd("query-blockstats")
               if d.get("device", "").startswith("virtio"))


def follow_install(vm, t0, shot=None, done_shot=None, cut=None, cut_mib=0):
    """Reads the bar until QEMU exits (the guest's reboot: -no-reboot) or,
    with CUT=(lo, hi), kills QEMU once the bar is between lo and hi %;
    with CUT_MIB, once rauc writes the slot (its step at WRITE_PCT %) and
    the guest has written CUT_MIB to its disk since.
    SHOT: the screenshot of the bar, once it is between 20 and 80 %;
    DONE_SHOT: of the screen that says the update is installed.
    Returns the percentages seen."""
    seen, done = [], False
    end = t0 + INSTALL_TIMEOUT
    while vm.proc.poll() is None:
        if time.monotonic() > end:
            vm.kill()
            fail(f"no reboot within {INSTALL_TIMEOUT} s of 安装 (bar: {seen})")
        try:
            shown = [t[4] for t in vm.texts()]
        except (StepFailed, OSError):
            shown = []  # the debug port closes as the guest reboots
        for t in shown:
            m = PCT.search(t)
            if m and (not seen or seen[-1] != int(m.group(1))):
                seen.append(int(m.group(1)))
                log(f"{time.monotonic() - t0:.0f} s: {t}")
                if shot and 20 <= seen[-1] <= 80:
                    vm.screenshot(shot)
                    shot = None
            if t.startswith("安装没有成功"):
                fail("the install failed: " + " | ".join(shown))
            if t.startswith("更新完成，正在重启") and not done:
                done = True
                if done_shot:
                    vm.screenshot(done_shot)
        if cut and seen and cut[0] <= seen[-1] <= cut[1]:
            vm.kill()
            return seen
        if cut_mib and seen and seen[-1] >= WRITE_PCT:
            if seen[-1] > WRITE_PCT or done:
                fail(f"the slot was written before {cut_mib} MiB had "
                     f"reached the disk (bar: {seen})")
            # From here on only QEMU is asked (QMP), every 0.2 s: the
            # guest's debug agent answers slowly while the slot is
            # written, and a slow answer let the write end unseen.
            base = written(vm)
            while vm.proc.poll() is None:
                if written(vm) - base >= cut_mib << 20:
                    vm.kill()
                    return seen
                if time.monotonic() > end:
                    break
                time.sleep(0.2)
            fail(f"the guest rebooted before {cut_mib} MiB of the slot "
                 f"were written (bar: {seen})")
        if cut and seen and seen[-1] > cut[1]:
            fail(f"the bar went past {cut[1]} % before the cut: {seen}")
        time.sleep(1)
    if cut or cut_mib:
        fail(f"the guest rebooted before the cut (bar: {seen})")
    if vm.proc.returncode != 0:
        fail(f"QEMU exited {vm.proc.returncode}, not by the guest's reboot")
    if "guanai-reboot: the kiosk asks for a reboot (an update was installed): rebooting" not in vm.serial_text():
        fail(f"the guest stopped without guanai-reboot's line; see {vm.serial}")
    if not any(0 < p < 100 for p in seen):
        fail(f"the bar never showed a step between 0 and 100 %: {seen}")
    return seen


class Nginx:
    """The district's web server on the host for update-net: WebDAV PUT
    for the uploads under /district/, the update folder /updates/ at
    NET_RATE; the guest reaches it as 10.0.2.2:PORT."""

    def __init__(self, work, port):
        self.dir = os.path.abspath(os.path.join(work, "ngx"))
        self.www = os.path.abspath(os.path.join(work, "www"))
        self.port = port
        self.log_path = os.path.join(self.dir, "access.log")
        self.pid_path = os.path.join(self.dir, "nginx.pid")
        for d in (self.dir, self.www, os.path.join(self.www, "updates"),
                  os.path.join(self.www, "district")):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o777)
        self.conf = os.path.join(self.dir, "nginx.conf")
        t = self.dir
        with open(self.conf, "w") as f:
            f.write(f"""daemon on;
worker_processes 1;
pid {self.pid_path};
error_log {t}/error.log;
events {{ worker_connections 64; }}
http {{
    log_format gurange '$status $request_method $request_uri range=$http_range sent=$body_bytes_sent';
    access_log {self.log_path} gurange;
    client_body_temp_path {t}/body;
    proxy_temp_path {t}/proxy;
    fastcgi_temp_path {t}/fcgi;
    uwsgi_temp_path {t}/uwsgi;
    scgi_temp_path {t}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {self.www};
        client_max_body_size 64m;
        location /updates/ {{ limit_rate {NET_RATE}; }}
        location / {{
            dav_methods PUT;
            dav_access user:rw group:rw all:r;
            create_full_put_path on;
        }}
    }}
}}
""")

    def start(self):
        sh(["nginx", "-p", self.dir, "-c", self.conf, "-e",
            os.path.join(self.dir, "error.log")])

    def stop(self):
        """Stops it at once (SIGTERM: transfers in flight are cut)."""
        try:
            with open(self.pid_path) as f:
                pid = int(f.read())
        except (OSError, ValueError):
            return
        os.kill(pid, signal.SIGTERM)
        end = time.monotonic() + 20
        while time.monotonic() < end:
            try:
                os.kill(pid, 0)
            except OSError:
                return
            time.sleep(0.2)
        fail("nginx did not stop within 20 s")

    def requests(self, path):
        """[(status, range start or None, bytes sent)] for PATH."""
        out = []
        try:
            with open(self.log_path) as f:
                lines = f.read().splitlines()
        except FileNotFoundError:
            return out
        for l in lines:
            m = re.match(r"^(\d+) GET (\S+) range=(\S*) sent=(\d+)$", l)
            if not m or m.group(2) != path:
                continue
            r = re.match(r"bytes=(\d+)-", m.group(3))
            out.append((int(m.group(1)), int(r.group(1)) if r else None,
                        int(m.group(4))))
        return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def net_sync_conf(port):
    """The terminal's sync.conf for the update steps: the district is the
    host's nginx (plain http on a test link), updates install at any hour,
    and a pass comes every 20 s (the cut download goes on soon)."""
    base = f"http://10.0.2.2:{port}"
    return ("# synthetic test district on the host (image/check_update.py)\n"
            f"url = {base}/district\nallow_http = yes\n"
            f"update_url = {base}/updates\nupdate_hours = 00-24\n"
            "timer_s = 20\nbackoff_max_s = 20\n")


def part_bytes(vm, name):
    """The size of DATA/update/NAME.part in the guest, -1 if absent
    (debug 'updates'); the complete NAME counts as its size too."""
    st, lines = vm.debug("updates", timeout=60)
    size = -1
    for l in lines:
        f = l.split()
        if len(f) >= 7 and f[6] in (name + ".part", name):
            size = max(size, int(f[4]))
    return size


def write_figures():
    path = os.path.join(check.OUT, "figures.txt")
    old = {}
    if os.path.exists(path):
        with open(path) as f:
            for l in f:
                k, _, v = l.rstrip("\n").partition("=")
                if k:
                    old[k] = v
    old.update(figures)
    with open(path, "w") as f:
        for k, v in old.items():
            f.write(f"{k}={v}\n")


def main():
    t_start = time.monotonic()
    keys = tempfile.mkdtemp(prefix="gu-check-update-")
    try:
        step("update-prepare")
        check.WORK = os.path.join(check.OUT, "vm-update")
        shutil.rmtree(check.WORK, ignore_errors=True)
        os.makedirs(check.WORK)
        for f in ("ca.pem", "signing.pem", "signing.key"):
            if not os.path.exists(os.path.join(CA, f)):
                fail(f"{CA}/{f} is missing: make image makes the test CA")
            # bundle.sh refuses a signing key inside the repository.
            shutil.copy(os.path.join(CA, f), keys)
        if not os.path.isdir(ROOT):
            fail(f"{ROOT} is missing: run make image")
        taps = check.read_taps(os.path.join(HERE, "checkin.taps"))
        b2 = os.path.join(check.WORK, "guanai-2.0.raucb")
        figures["update_bundle_mib"] = round(make_bundle(
            keys, make_root("2.0", "2.0"), b2, "测试更新 2.0：同一个系统"), 1)
        root3 = make_root("3.0", "3.0")
        never_healthy(root3)
        b3 = os.path.join(check.WORK, "guanai-3.0.raucb")
        make_bundle(keys, root3, b3, "测试更新 3.0：一体机启动不了")
        for r in ("2.0", "3.0"):
            shutil.rmtree(os.path.join(check.WORK, "root-" + r))
        bx = os.path.join(check.WORK, "guanai-9.0.raucb")
        sh(["sh", "-c", f'. "{REPO}/tests/lib/rauc.sh" && rauc_test_bundle '
            f'"$1" 9.0 guanai-terminal-x86_64 "$2" "另一个CA签的"', "sh",
            os.path.join(CA, "other"), bx])
        sticks = {v: bundle_stick(os.path.join(check.WORK, f"stick-{v}.img"), b)
                  for v, b in (("2.0", b2), ("3.0", b3), ("9.0", bx))}
        figures["update_bundles_s"] = round(time.monotonic() - t_start, 1)
        disk = os.path.join(check.WORK, "disk.qcow2")
        sh(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw",
            "-b", os.path.abspath(check.IMG), disk, "3G"])
        shutil.copy(check.OVMF_VARS, os.path.join(check.WORK, "vars.fd"))
        prov = os.path.join(check.WORK, "stick.img")
        port = free_port()
        check.make_stick(prov, net_sync_conf(port))

        step("update-boot")
        vm = boot("update-v1", disk, prov)
        check.play(vm, taps["setup"], 1)
        check.play(vm, taps["check-in"], 1, shots=False)
        check.play(vm, taps["head-first"], 1)
        check.tap_text(vm, "退出")
        expect_slot(vm, "A", "1.0")
        before = {check.key(r) for r in check.dump(vm)}
        log(f"{len(before)} records before the update")

        for s in WANT:
            if s not in STEPS:
                fail(f"IMAGE_UPDATE_STEPS: no step {s}")
        if "update-usb" in WANT:
            vm, before = update_usb(vm, taps, sticks, disk, before)
        if "update-fallback" in WANT:
            vm, before = update_fallback(vm, taps, sticks, disk, before)
        if "update-power-cut" in WANT:
            vm, before = update_power_cut(vm, taps, sticks, disk, before)
        if "update-net" in WANT:
            vm, before = update_net(vm, taps, keys, disk, before, port)
        if "update-refused" in WANT:
            update_refused(vm, taps, sticks)
        if "update-migrate" in WANT:
            vm = update_migrate(vm, disk, before)
        vm.kill()
    except StepFailed as e:
        print(f"image-check: FAILED at step '{check.step_name}': {e}",
              file=sys.stderr)
        if VMS:
            check.save_journal(VMS[0])
        for vm in VMS:
            vm.kill()
        return 1
    finally:
        shutil.rmtree(keys, ignore_errors=True)
        figures["update_check_s"] = round(time.monotonic() - t_start, 1)
        write_figures()
    print(f"image-check: update steps: {2 + len(WANT)} passed, 0 failed "
          f"({figures['update_check_s']:.0f} s)")
    return 0


def update_usb(vm, taps, sticks, disk, before):
    step("update-usb")
    t0 = start_install(vm, taps, sticks["2.0"], "u20", True)
    seen = follow_install(vm, t0, shot="13-update-progress",
                          done_shot="14-update-done")
    figures["update_install_s"] = round(time.monotonic() - t0, 1)
    log(f"installed and rebooted {figures['update_install_s']} s after "
        f"安装; the bar showed {seen}")
    vm, before = comes_up("update-v2", disk, before, "B", "2.0")
    head_says(vm, taps, "系统已更新到 2.0", "15-updated")
    return vm, before


def update_fallback(vm, taps, sticks, disk, before):
    step("update-fallback")
    t0 = start_install(vm, taps, sticks["3.0"], "u30", False)
    follow_install(vm, t0)
    bad = power_on("update-v3", disk)
    bad.wait_serial(r"guanai-health: slot A \(3\.0\) not healthy within "
                    r"\d+ s: marking it bad and rebooting",
                    check.BOOT_TIMEOUT + BAD_HEALTH_TIMEOUT)
    try:
        bad.proc.wait(timeout=180)
    except subprocess.TimeoutExpired:
        bad.kill()
        fail("slot A (3.0) was marked bad but did not reboot within 180 s")
    log(f"3.0 in slot A was not healthy and rebooted itself "
        f"{time.monotonic() - bad.t0:.0f} s after power-on")
    vm, before = comes_up("update-back", disk, before, "B", "2.0")
    head_says(vm, taps, "更新到 3.0 失败，已恢复 2.0", "16-rolled-back")
    figures["update_fallback_s"] = round(time.monotonic() - t0, 1)
    return vm, before


def update_power_cut(vm, taps, sticks, disk, before):
    step("update-power-cut")
    # The terminal must come back as it was: the slot and version running.
    st = slots(vm)
    old = (st["slot"], st["version"])
    t0 = start_install(vm, taps, sticks["3.0"], "u30b", False)
    seen = follow_install(vm, t0, shot="17-update-before-cut",
                          cut=(20, 80))
    figures["update_power_cut_at_pct"] = seen[-1]
    log(f"QEMU killed at {seen[-1]} %, "
        f"{time.monotonic() - t0:.0f} s after 安装")
    vm, before = comes_up("update-cut", disk, before, *old)
    vm.screenshot("18-after-update-cut")
    if not CUT_WRITE:
        return vm, before
    # rauc writes nothing to the slot until the bar is at WRITE_PCT:
    # the second cut is in the middle of writing it.
    t0 = start_install(vm, taps, sticks["3.0"], "u30c", False)
    seen = follow_install(vm, t0, cut_mib=CUT_WRITTEN_MIB)
    log(f"QEMU killed at {seen[-1]} % with {CUT_WRITTEN_MIB} MiB of the "
        f"slot written, {time.monotonic() - t0:.0f} s after 安装")
    vm, before = comes_up("update-cut2", disk, before, *old)
    return vm, before


def update_net(vm, taps, keys, disk, before, port):
    step("update-net")
    st = slots(vm)
    new = "A" if st["slot"] == "B" else "B"
    name = f"guanai-{NET_VERSION}.raucb"
    path = os.path.join(check.WORK, "www", "updates", name)
    ngx = Nginx(check.WORK, port)
    root = make_root(NET_VERSION, NET_VERSION)
    figures["update_net_bundle_mib"] = round(make_bundle(
        keys, root, path, f"测试更新 {NET_VERSION}：从网络下载"), 1)
    shutil.rmtree(root)
    size = os.path.getsize(path)
    digest = sh(["sha256sum", path]).split()[0]
    with open(os.path.join(check.WORK, "www", "updates", "latest"), "w") as f:
        f.write(f"# the district offers\nversion = {NET_VERSION}\n"
                f"file = {name}\nsize = {size}\nsha256 = {digest}\n")
    os.chmod(path, 0o644)
    # The terminal so far had no network: power it off, and on with one.
    vm.poweroff()
    ngx.start()
    vm = boot("update-net", disk, net=True)
    t0 = time.monotonic()
    cut = NET_CUT_MIB * 1048576
    end = t0 + 900
    while (got := part_bytes(vm, name)) < cut:
        if got >= size:
            fail(f"the download ended ({got} bytes) before the cut")
        if time.monotonic() > end:
            fail(f"{name}.part did not reach {NET_CUT_MIB} MiB within "
                 f"900 s (it has {got} bytes); guanai-sync status: "
                 + " / ".join(vm.debug("status")[1][-8:]))
        time.sleep(2)
    ngx.stop()
    t_cut = time.monotonic()
    time.sleep(5)
    kept = part_bytes(vm, name)
    log(f"nginx stopped {t_cut - t0:.0f} s after the kiosk was up, with "
        f"{got} bytes of {size} in {name}.part; {kept} bytes kept")
    if kept < cut:
        fail(f"{name}.part has {kept} bytes after the cut (had {got})")
    ngx.start()
    # The daemon goes on from the .part, checks the bundle, installs it
    # (00-24: any hour is quiet) and asks for the reboot: QEMU exits.
    try:
        vm.proc.wait(timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        ngx.stop()
        fail(f"no reboot within {INSTALL_TIMEOUT} s of nginx coming back; "
             "guanai-sync status: " + " / ".join(vm.debug("status")[1][-8:]))
    t_done = time.monotonic()
    ngx.stop()
    reqs = ngx.requests(f"/updates/{name}")
    log(f"nginx served {name}: {reqs}")
    resumed = [r for r in reqs if r[0] == 206 and r[1] and r[1] >= cut]
    if not resumed:
        fail(f"no 206 answer to a Range request from {NET_CUT_MIB} MiB on: {reqs}")
    if resumed[-1][1] + resumed[-1][2] != size:
        fail(f"the resumed request did not end the bundle: {resumed[-1]} "
             f"of {size} bytes")
    served = sum(r[2] for r in reqs)
    # The request cut by the stop may not be logged: count what the guest
    # had then instead.
    if not any(r[0] == 200 for r in reqs):
        served += resumed[-1][1]
    if served > size * 1.1:
        fail(f"{served} bytes served for a bundle of {size}: not a resume")
    figures["update_net_served_bytes"] = served
    figures["update_net_resumed_from_bytes"] = resumed[-1][1]
    figures["update_net_cut_after_s"] = round(t_cut - t0, 1)
    figures["update_net_to_reboot_s"] = round(t_done - t_cut, 1)
    log(f"resumed from {resumed[-1][1]} bytes (206), {served} bytes served "
        f"in all for {size}; the terminal rebooted {t_done - t_cut:.0f} s "
        f"after the cut")
    vm, before = comes_up("update-net-new", disk, before, new, NET_VERSION)
    head_says(vm, taps, f"系统已更新到 {NET_VERSION}", "20-updated-net")
    return vm, before


def update_refused(vm, taps, sticks):
    step("update-refused")
    st0 = slots(vm)
    check.plug_stick(vm, "u90", sticks["9.0"])
    check.play(vm, taps["head"], 1)
    check.play(vm, taps["update-open"], 1, shots=False)
    why = "这个更新文件没有我们的签名，不能安装。"
    end = time.monotonic() + 120
    while True:
        shown = [t[4] for t in vm.texts()]
        if any(t.startswith(why) for t in shown):
            break
        if time.monotonic() > end:
            vm.screenshot("19-update-refused")
            fail(f"the screen does not say {why}; it shows: "
                 + " | ".join(shown))
        time.sleep(1)
    vm.screenshot("19-update-refused")
    if "安装" in shown:
        fail("the refused bundle still offers 安装: " + " | ".join(shown))
    log("refused: " + " | ".join(t for t in shown if "签名" in t or "原话" in t))
    st1 = slots(vm)
    changed = {k for k in set(st0) | set(st1) if st0.get(k) != st1.get(k)}
    if changed:
        fail(f"rauc's status changed: {sorted(changed)}")
    log("nothing installed: rauc's status is as before")


def build_var(name):
    """A NAME=value line of image/build.sh (the partition ids)."""
    with open(os.path.join(HERE, "build.sh"), encoding="utf-8") as f:
        m = re.search(rf"(?m)^{name}=(\S+)$", f.read())
    if not m:
        fail(f"image/build.sh has no {name}=")
    return m.group(1)


def sha_range(path, start, size):
    """The SHA-256 of SIZE bytes of PATH from START."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        f.seek(start)
        left = size
        while left > 0:
            b = f.read(min(left, 1 << 22))
            if not b:
                break
            h.update(b)
            left -= len(b)
    return h.hexdigest()


def update_migrate(vm, disk, before):
    step("update-migrate")
    vm.poweroff()
    w = check.WORK
    mib = 1048576
    now = os.path.join(w, "now.raw")
    sh(["qemu-img", "convert", "-O", "raw", disk, now])
    table = json.loads(sh(["sfdisk", "-J", now]))["partitiontable"]
    sector = table.get("sectorsize", 512)
    parts = {p.get("name"): p for p in table["partitions"]}
    if "guanai-data" not in parts or "ESP" not in parts:
        fail(f"{disk}: no ESP or guanai-data partition: {sorted(parts)}")
    data, esp = parts["guanai-data"], parts["ESP"]
    data_mib = data["size"] * sector // mib
    esp_mib = esp["size"] * sector // mib
    # The old layout, as the first wave's image made it: ESP, one root,
    # the data partition after it (here: this terminal's, sector for
    # sector).
    old = os.path.join(w, "old-layout.img")
    if os.path.exists(old):
        os.unlink(old)
    with open(old, "wb") as f:
        f.truncate((1 + esp_mib + MIGRATE_ROOT_MIB + data_mib + 1) * mib)
    root_at, data_at = 1 + esp_mib, 1 + esp_mib + MIGRATE_ROOT_MIB
    layout = (
        "label: gpt\n"
        f"start=1MiB, size={esp_mib}MiB, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, "
        f"uuid={build_var('ESP_PARTUUID')}, name=\"ESP\"\n"
        f"start={root_at}MiB, size={MIGRATE_ROOT_MIB}MiB, "
        f"type=4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709, "
        f"uuid={build_var('ROOT_A_PARTUUID')}, name=\"guanai-root\"\n"
        f"start={data_at}MiB, size={data_mib}MiB, type={data['type']}, "
        f"uuid={data['uuid']}, name=\"guanai-data\"\n")
    r = subprocess.run(["sfdisk", "-q", old], input=layout, text=True,
                       capture_output=True)
    if r.returncode != 0:
        fail("sfdisk of the old layout: " + r.stderr.strip())
    espimg = os.path.join(w, "old-esp.img")
    if os.path.exists(espimg):
        os.unlink(espimg)
    sh(["mkfs.vfat", "-C", espimg, str(esp_mib * 1024)])
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    sh(["mmd", "-i", espimg, "::/guanai"], env=env)
    sh(["dd", f"if={espimg}", f"of={old}", "bs=1M", "seek=1",
        "conv=notrunc,sparse", "status=none"])
    sh(["dd", f"if={now}", f"of={old}", "bs=1M",
        f"skip={data['start'] * sector}", f"count={data['size'] * sector}",
        f"seek={data_at * mib}", "iflag=skip_bytes,count_bytes",
        "oflag=seek_bytes", "conv=notrunc,sparse", "status=none"])
    want = sha_range(old, data_at * mib, data_mib * mib)
    os.unlink(now)
    os.unlink(espimg)
    out = sh([os.path.join(HERE, "migrate-ab.sh"), os.path.abspath(check.IMG),
              old])
    log("migrate-ab.sh: " + " / ".join(out.strip().splitlines()[-3:]))
    if sha_range(old, data_at * mib, data_mib * mib) != want:
        fail("the migration changed the data partition")
    mig = os.path.join(w, "migrated.qcow2")
    sh(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
        os.path.abspath(old), mig])
    shutil.copy(check.OVMF_VARS, os.path.join(w, "vars.fd"))
    vm, _ = comes_up("update-migrated", mig, before, "A", "1.0")
    log("the migrated terminal boots slot A (1.0) with its data partition")
    return vm


if __name__ == "__main__":
    sys.exit(main())
