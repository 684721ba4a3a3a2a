using System.Text;

namespace Emu.Linux;

/// <summary>
/// Guest byte strings (argv, environment entries) held as .NET strings without loss: bytes that are not valid
/// UTF-8 become lone surrogates U+DC80..U+DCFF (Python's "surrogateescape") and turn back into the same bytes.
/// Plain UTF-8 would replace them with U+FFFD and hand a child a different environment.
/// </summary>
public static class GuestStrings
{
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        if (System.Text.Unicode.Utf8.IsValid(bytes)) return Encoding.UTF8.GetString(bytes);
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done)
                sb.Append(rune.ToString());
            else
                for (int i = 0; i < consumed; i++) sb.Append((char)(0xDC00 + bytes[i]));
            bytes = bytes[consumed..];
        }
        return sb.ToString();
    }

    // A loop, not MemoryExtensions.ContainsAnyInRange: that generic method is JIT-compiled at every start-up.
    private static bool HasEscapes(string s)
    {
        foreach (char c in s)
            if (c is >= '\uDC80' and <= '\uDCFF') return true;
        return false;
    }

    public static byte[] Encode(string s, bool nulTerminate = false)
    {
        if (!HasEscapes(s))
        {
            var plain = new byte[Encoding.UTF8.GetByteCount(s) + (nulTerminate ? 1 : 0)];
            Encoding.UTF8.GetBytes(s, plain);
            return plain;
        }
        var result = new List<byte>(s.Length + 1);
        int run = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            // An escape is a low surrogate not preceded by a high one (a real pair encodes normally).
            if (c is >= '\uDC80' and <= '\uDCFF' && (i == 0 || !char.IsHighSurrogate(s[i - 1])))
            {
                result.AddRange(Encoding.UTF8.GetBytes(s[run..i]));
                result.Add((byte)(c - 0xDC00));
                run = i + 1;
            }
        }
        result.AddRange(Encoding.UTF8.GetBytes(s[run..]));
        if (nulTerminate) result.Add(0);
        return [.. result];
    }
}
