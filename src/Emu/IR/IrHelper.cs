using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.Intrinsics;
using Emu.Cpu;

namespace Emu.IR;

/// <summary>Marks a helper whose result depends only on its arguments, so an unused call may be removed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PureHelperAttribute : Attribute
{
}

/// <summary>
/// Marks a context-taking helper that reads and writes only FPCR and FPSR, so translated code keeps the
/// other guest registers in host registers across the call.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FpStatusHelperAttribute : Attribute
{
}

/// <summary>
/// A static method that IR can call (<see cref="IrOp.Call"/>). Parameters are ulong or Vector128&lt;byte&gt;,
/// optionally preceded by a CpuContext* that is passed implicitly; the result is ulong, Vector128&lt;byte&gt; or void.
/// </summary>
public sealed class IrHelper
{
    // A locked Dictionary, not ConcurrentDictionary: this is reached at every start, and System.Collections.Concurrent
    // would be loaded for it alone (~0.4 MB of RSS).
    private static readonly Dictionary<MethodInfo, IrHelper> Cache = [];

    public MethodInfo Method { get; }
    public string Name => Method.DeclaringType!.Name + "." + Method.Name;
    public IrType ResultType { get; }
    public IrType[] ArgTypes { get; }
    public bool TakesContext { get; }
    public bool IsPure { get; }
    /// <summary>The CpuContext* is used for FPCR and FPSR only (see <see cref="FpStatusHelperAttribute"/>).</summary>
    public bool UsesOnlyFpStatus { get; }

    private IrHelper(MethodInfo method)
    {
        if (!method.IsStatic) throw new ArgumentException($"IR helper {method.Name} must be static");
        Method = method;
        ResultType = TypeOf(method.ReturnType, method.Name);
        var ps = method.GetParameters();
        TakesContext = ps.Length > 0 && ps[0].ParameterType == typeof(CpuContext*);
        // A loop, not LINQ: LINQ over IrType (a value type of ours) is JIT-compiled at start-up, not precompiled.
        int skip = TakesContext ? 1 : 0;
        ArgTypes = new IrType[ps.Length - skip];
        for (int i = 0; i < ArgTypes.Length; i++)
        {
            ArgTypes[i] = TypeOf(ps[i + skip].ParameterType, method.Name);
            if (ArgTypes[i] == IrType.None) throw new ArgumentException($"IR helper {method.Name} has a void parameter");
        }
        // IsDefined: no attribute object is made.
        IsPure = method.IsDefined(typeof(PureHelperAttribute), inherit: false);
        UsesOnlyFpStatus = TakesContext && method.IsDefined(typeof(FpStatusHelperAttribute), inherit: false);
    }

    private static IrType TypeOf(Type t, string name)
    {
        if (t == typeof(void)) return IrType.None;
        if (t == typeof(ulong)) return IrType.I64;
        if (t == typeof(Vector128<byte>)) return IrType.V128;
        throw new ArgumentException($"IR helper {name}: unsupported type {t}");
    }

    public static IrHelper Get(MethodInfo method)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(method, out var helper)) Cache.Add(method, helper = new IrHelper(method));
            return helper;
        }
    }

    // By type, then name: translation asks for the same SIMD helpers over and over. Each type's static methods
    // are listed once: a lookup by name scans all of a type's methods (SimdHelpers has hundreds), and doing that
    // per helper was 4% of a dynamic `true`'s CPU. Null marks an overloaded name (ambiguous, as for GetMethod).
    private static readonly Dictionary<Type, Dictionary<string, MethodInfo?>> MethodsByName = [];

    /// <summary>Looks up a public or internal static method by name on a type.</summary>
    public static IrHelper Get(
        [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicMethods | DynamicallyAccessedMemberTypes.NonPublicMethods)] Type type,
        string name)
    {
        MethodInfo? method;
        bool found;
        lock (MethodsByName)
        {
            if (!MethodsByName.TryGetValue(type, out var methods))
            {
                methods = [];
                foreach (var m in type.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic))
                    methods[m.Name] = methods.ContainsKey(m.Name) ? null : m;
                MethodsByName.Add(type, methods);
            }
            found = methods.TryGetValue(name, out method);
        }
        if (!found) throw new MissingMethodException(type.Name, name);
        return Get(method ?? throw new AmbiguousMatchException($"IR helper {type.Name}.{name} is overloaded"));
    }
}
