"""make bench: boots benchmark images and prints one `bench: <name>=<value>` line per figure.

Instruction counts come from a run under `-icount shift=0,sleep=off`, where one TSC tick is one
guest instruction (docs/benchmarks.md). Wall-clock figures come from a normal TCG run."""

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import harness  # noqa: E402
import initrd_util  # noqa: E402


def icount_boot(work):
    disk = harness.make_disk(work, "icount", "cmdline=test\n",
                             initrd=initrd_util.no_services(work))
    with harness.Boot(work, "icount", disk, icount=True) as boot:
        tsc = harness.parse_fields(boot.wait_for(r"^boot: loader_tsc=.*", timeout=600).group(0))
        boot.wait_exit(timeout=120)
    loader, exit_, kernel = (int(tsc[k]) for k in ("loader_tsc", "exit_tsc", "kernel_tsc"))
    return {
        "loader_to_kernel_insn": kernel - loader,
        "exit_boot_services_to_kernel_insn": kernel - exit_,
    }


def kernel_core_bench(work):
    """One `bench` boot: init's figures (null syscall, boot to init's first instruction, yield
    switch), then the services; the shell's (servers/shell/main.cc): instructions from kernel
    entry to the first prompt and RAM in use at that moment (init's MemInfo total - free)."""
    disk = harness.make_disk(work, "core", "cmdline=test bench\n")
    figures = {}
    names = ("boot_to_init_insn", "null_syscall_insn", "yield_switch_insn",
             "boot_to_prompt_insn", "mem_at_prompt_kib")
    with harness.Boot(work, "core", disk, icount=True, serial_input=True) as boot:
        for name in names:
            figures[name] = int(boot.wait_for(rf"^bench: {name}=(\d+)", timeout=900).group(1))
        boot.wait_text(r"muos> ", timeout=300)
        end_with_poweroff(boot)
    return figures


def ipc_bench(work):
    """captest's ipc.bench case with `bench`: IPC round trips (fast path; slow path carrying a
    capability) and a notification wake-up, between address spaces (servers/captest/ipc_tests.cc)."""
    disk = harness.make_disk(work, "ipc", "cmdline=test init=/tests/captest bench\n")
    figures = {}
    with harness.Boot(work, "ipc", disk, icount=True) as boot:
        for name in ("ipc_rtt_fast_insn", "ipc_rtt_slow_cap_insn", "notify_wake_insn"):
            figures[name] = int(boot.wait_for(rf"^bench: {name}=(\d+)", timeout=900).group(1))
        boot.wait_for(r"^ktest: (\d+) passed, (\d+) failed", timeout=900)
        boot.wait_exit(timeout=120)
    return figures


def end_with_poweroff(boot):
    """The shell waits for input forever: ask it to power off (test mode exits QEMU)."""
    boot.send("poweroff\n")
    boot.wait_exit(timeout=120)


def wall_prompt_boot(work):
    """Wall time of a normal TCG boot (no icount): QEMU start to muboot's first line and to
    the shell's first prompt."""
    disk = harness.make_disk(work, "wall_prompt", "cmdline=test\n")
    with harness.Boot(work, "wall_prompt", disk, serial_input=True) as boot:
        prompt = boot.wait_text(r"muos> ", timeout=300)
        at_prompt = boot.time_at(prompt.end())
        first = boot.time_of(r"^muboot[: ]")
        end_with_poweroff(boot)
    return {
        "qemu_start_to_muboot_ms": round(first * 1000),
        "qemu_start_to_prompt_ms": round(at_prompt * 1000),
    }


def wall_boot(work):
    disk = harness.make_disk(work, "wall", "cmdline=\n", initrd=initrd_util.no_services(work))
    with harness.Boot(work, "wall", disk) as boot:
        boot.wait_for(r"^kernel: powering off", timeout=300)
        boot.wait_exit(timeout=60)
        first = boot.time_of(r"^muboot[: ]")
        off = boot.time_of(r"^kernel: powering off")
    return {
        "qemu_start_to_muboot_ms": round(first * 1000),
        "qemu_start_to_poweroff_ms": round(off * 1000),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    os.environ["MU_BUILD"] = str(Path(args.build).resolve())
    work = harness.work_dir("bench")
    figures = {}
    figures.update(icount_boot(work))
    figures.update(kernel_core_bench(work))
    figures.update(ipc_bench(work))
    figures.update(wall_boot(work))
    figures.update(wall_prompt_boot(work))
    for name, value in figures.items():
        print(f"bench: {name}={value}")


if __name__ == "__main__":
    main()
