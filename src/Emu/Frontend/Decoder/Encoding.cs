using Emu.Frontend.Translation;

namespace Emu.Frontend.Decoder;

/// <summary>Translates one decoded guest instruction into IR.</summary>
public delegate void InstEmitter(ArmEmitter e, uint word);

/// <summary>
/// One line of the encoding table: a name, a 32-character bit pattern (MSB first; '0'/'1' fixed,
/// any other character a field bit), and the emitter. The decoder, the tests and the random
/// instruction generator all read these lines.
/// </summary>
public sealed class Encoding
{
    public string Name { get; }
    public string Pattern { get; }
    public InstEmitter Emit { get; }
    public uint Mask { get; }
    public uint Value { get; }
    /// <summary>Extension group for coverage reports and -cpu feature sets ("base", "fp", "simd", "lse", ...).</summary>
    public string Group { get; }

    public Encoding(string name, string pattern, InstEmitter emit, string group = "base")
    {
        var bits = pattern.Replace(" ", "").Replace("_", "");
        if (bits.Length != 32) throw new ArgumentException($"encoding {name}: pattern has {bits.Length} bits, expected 32");
        uint mask = 0, value = 0;
        for (int i = 0; i < 32; i++)
        {
            char c = bits[i];
            int bit = 31 - i;
            if (c == '0' || c == '1')
            {
                mask |= 1u << bit;
                if (c == '1') value |= 1u << bit;
            }
        }
        Name = name;
        Pattern = bits;
        Emit = emit;
        Mask = mask;
        Value = value;
        Group = group;
    }

    public bool Matches(uint word) => (word & Mask) == Value;

    /// <summary>The value of the field named by letter <paramref name="field"/> in the pattern (bits concatenated MSB first).</summary>
    public uint Field(uint word, char field)
    {
        uint v = 0;
        for (int i = 0; i < 32; i++)
            if (Pattern[i] == field) v = (v << 1) | ((word >> (31 - i)) & 1);
        return v;
    }

    public override string ToString() => $"{Name} {Pattern}";
}
