using Emu.Frontend.Decoder;

namespace Emu.DiffTest;

/// <summary>A known difference that the generator does not produce, by encoding name and a condition on the
/// word (memory bases are always 16-byte aligned, so address conditions can be stated on the word).
/// Every entry is explained in docs/difftest-exceptions.md under the same name, and the number of words
/// skipped is reported with every run.</summary>
public sealed record DiffException(string Name, string[] Encodings, Func<uint, bool> Applies, string Reason);

public static class DiffExceptions
{
    private static readonly string[] s_rcpc2 =
    [
        "LDAPURB", "LDAPURH", "LDAPURSB_W", "LDAPURSB_X", "LDAPURSH_W", "LDAPURSH_X", "LDAPURSW", "LDAPUR_W", "LDAPUR_X",
        "STLURB", "STLURH", "STLUR_W", "STLUR_X",
    ];

    /// <summary>Bytes accessed by a load/store whose size is in bits 31:30.</summary>
    private static int AccessSize(uint word) => 1 << (int)(word >> 30);

    /// <summary>Low bits of the signed imm9 in bits 20:12 (the base is 16-byte aligned, so these are the address's).</summary>
    private static int Imm9Low(uint word) => (int)((word >> 12) & 0xF);

    /// <summary>Where qemu-aarch64, the reference, is wrong. Keep in step with docs/difftest-exceptions.md.</summary>
    public static readonly DiffException[] QemuWrong = [];

    /// <summary>Open emu-aarch64 bugs, listed so the suite stays usable until they are fixed (then delete the entry).</summary>
    public static readonly DiffException[] EmuKnownBugs =
    [
        new("rcpc2-unaligned", s_rcpc2,
            w => (Imm9Low(w) & (AccessSize(w) - 1)) != 0,
            "an unaligned LDAPUR*/STLUR* must raise an alignment fault (SIGBUS) with SCTLR_EL1.nAA = 0 as Linux sets it; emu-aarch64 performs the access"),
    ];

    public static DiffException? Find(Encoding e, uint word)
    {
        foreach (var x in QemuWrong.Concat(EmuKnownBugs))
            if (x.Encodings.Contains(e.Name) && x.Applies(word)) return x;
        return null;
    }
}
