using Emu.Frontend.Decoder;

namespace Emu.DiffTest;

/// <summary>A known difference that the generator does not produce, by encoding name and a condition on the
/// word (memory bases are always 16-byte aligned, so address conditions can be stated on the word).
/// Every entry is explained in docs/difftest-exceptions.md under the same name, and the number of words
/// skipped is reported with every run.</summary>
/// <param name="AppliesToInput">For differences that depend on register contents: a condition on the word and
/// the case's initial state (<see cref="StateLayout"/> record); the generator then draws another state instead
/// of dropping the word.</param>
public sealed record DiffException(string Name, string[] Encodings, Func<uint, bool> Applies, string Reason,
    Func<uint, byte[], bool>? AppliesToInput = null);

public static class DiffExceptions
{
    /// <summary>Where qemu-aarch64, the reference, is wrong. Keep in step with docs/difftest-exceptions.md.</summary>
    public static readonly DiffException[] QemuWrong =
    [
        new("fjcvtzs-flushed-denormal", ["FJCVTZS"], _ => true,
            "qemu 7.2 sets Z for a positive denormal that FPCR.FZ flushes to zero; the ARM ARM (FPToFixedJS) clears Z",
            (w, input) =>
            {
                ulong fpcr = StateLayout.ReadU64(input, StateLayout.Fpcr);
                ulong d = StateLayout.ReadU64(input, StateLayout.V((int)((w >> 5) & 31)));
                bool positiveDenormal = d >> 52 == 0 && (d & ((1UL << 52) - 1)) != 0;
                return (fpcr & (1UL << 24)) != 0 && positiveDenormal;
            }),
        new("fcvtzs-fixed-half-scalar-width", ["FCVTZS_fixed_scalarh"], _ => true,
            "qemu 7.2 writes the saturated 16-bit result of scalar FCVTZS Hd, Hn, #fbits sign-extended to 32 bits; the ARM ARM writes V[d] with datasize = esize = 16, the rest zero"),
    ];

    /// <summary>Differences by design (neither side is wrong). Keep in step with docs/difftest-exceptions.md.</summary>
    public static readonly DiffException[] ByDesign =
    [
        new("mrs-id-values", ["MRS_ID"],
            w => ((w >> 8) & 15, (w >> 5) & 7) is (0, 0) or (4, 0) or (4, 1) or (4, 4) or (4, 5) or (5, 0) or (6, 0) or (6, 1) or (7, 0),
            "MIDR and the ID_AA64* registers describe the CPU: emu-aarch64 reports the features it implements (matching its HWCAPs), qemu -cpu max its own larger set"),
    ];

    /// <summary>Open emu-aarch64 bugs, listed so the suite stays usable until they are fixed (then delete the entry).</summary>
    public static readonly DiffException[] EmuKnownBugs =
    [
    ];

    public static DiffException? Find(Encoding e, uint word)
    {
        foreach (var x in QemuWrong.Concat(ByDesign).Concat(EmuKnownBugs))
            if (x.AppliesToInput is null && x.Encodings.Contains(e.Name) && x.Applies(word)) return x;
        return null;
    }

    /// <summary>The state-dependent entry that covers <paramref name="word"/> run from <paramref name="input"/>, if any.</summary>
    public static DiffException? FindForInput(Encoding e, uint word, byte[] input)
    {
        foreach (var x in QemuWrong.Concat(ByDesign).Concat(EmuKnownBugs))
            if (x.AppliesToInput is not null && x.Encodings.Contains(e.Name) && x.Applies(word) && x.AppliesToInput(word, input))
                return x;
        return null;
    }
}
