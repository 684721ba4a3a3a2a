using Emu.Frontend.Decoder;

namespace Emu.DiffTest;

/// <summary>An instruction form on which qemu-aarch64 (the reference) is known to be wrong, so its cases
/// are not generated. Every entry is explained in docs/difftest-exceptions.md under the same name.</summary>
public sealed record DiffException(string Name, string Encoding, Func<uint, bool> Applies, string Reason);

public static class DiffExceptions
{
    /// <summary>Keep in step with docs/difftest-exceptions.md.</summary>
    public static readonly DiffException[] All = [];

    public static DiffException? Find(Encoding e, uint word)
    {
        foreach (var x in All)
            if (x.Encoding == e.Name && x.Applies(word)) return x;
        return null;
    }
}
