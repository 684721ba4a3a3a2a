"""Bar chart of bench/results.md: CPU seconds per kernel for native, qemu-aarch64 and emu-aarch64."""
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main(table_path, png_path):
    kernels, series = [], {"native": [], "qemu-aarch64": [], "emu-aarch64": []}
    for line in open(table_path):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("kernel", "") or cells[0].startswith("---") or cells[0].startswith("geometric"):
            continue

        def num(x):
            try:
                return float(x)
            except ValueError:
                return 0.0  # FAIL: drawn as no bar

        kernels.append(cells[0])
        series["emu-aarch64"].append(num(cells[1]))
        series["qemu-aarch64"].append(num(cells[2]))
        series["native"].append(num(cells[3]))
    width = 0.27
    fig, ax = plt.subplots(figsize=(8, 4))
    for i, (name, values) in enumerate(series.items()):
        ax.bar([k + (i - 1) * width for k in range(len(kernels))], values, width, label=name)
    ax.set_xticks(range(len(kernels)))
    ax.set_xticklabels(kernels)
    ax.set_ylabel("CPU seconds (lower is better)")
    ax.legend()
    fig.tight_layout()
    fig.savefig(png_path, dpi=100)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
