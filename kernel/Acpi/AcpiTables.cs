using System;

namespace Hv.Acpi
{
    /// <summary>A table found by the walk: where it is and what its header says (not yet checksummed).</summary>
    public sealed class AcpiTableInfo
    {
        public uint Signature;
        public ulong Address;
        /// <summary>The header's Length field (0 when the header could not be read).</summary>
        public uint Length;
        /// <summary>True for the DSDT and FACS, which the FADT points to rather than the XSDT.</summary>
        public bool ViaFadt;
        /// <summary>Why the header could not be read; the table is then unusable.</summary>
        public AcpiError Error;
    }

    /// <summary>
    /// The directory of the firmware's tables: RSDP -> XSDT (or RSDT) -> each table's header, plus
    /// the DSDT and FACS named by the FADT (ACPI 6.5 §5.2.5-§5.2.9). Discover reads only headers;
    /// Load reads one whole table on demand, so tables nobody parses (SSDTs) take no heap. When
    /// the XSDT is unusable and the RSDP also gives an RSDT, the RSDT is used (as ACPICA does)
    /// and RootWarning keeps the XSDT's error.
    /// </summary>
    public sealed class AcpiTables
    {
        /// <summary>Root entries looked at; more are reported in RootWarning and ignored.</summary>
        public const int MaxTables = 256;

        private readonly IPhysicalMemory _memory;

        public ulong RsdpAddress;
        public Rsdp Rsdp;
        /// <summary>Fatal: no RSDP, or neither root table is usable. Tables is then empty.</summary>
        public AcpiError Error;
        /// <summary>Not fatal: the XSDT was unusable (RSDT used), or the root lists more than MaxTables.</summary>
        public AcpiError RootWarning;
        public ulong RootAddress;
        public uint RootSignature;
        public uint RootLength;
        /// <summary>How many entries the root lists (Tables holds up to MaxTables of them, then the FADT's).</summary>
        public int RootEntries;
        public AcpiTableInfo[] Tables = new AcpiTableInfo[0];

        private AcpiTables(IPhysicalMemory memory, ulong rsdpAddress)
        {
            _memory = memory;
            RsdpAddress = rsdpAddress;
        }

        public bool Ok => Error.Ok;

        public static AcpiTables Discover(IPhysicalMemory memory, ulong rsdpAddress)
        {
            AcpiTables t = new AcpiTables(memory, rsdpAddress);
            t.Error = t.ReadRsdp();
            if (!t.Error.Ok)
                return t;
            byte[] root;
            AcpiError e = t.ReadRoot(t.Rsdp.RootAddress, t.Rsdp.UsesXsdt, out root);
            if (!e.Ok && t.Rsdp.UsesXsdt && t.Rsdp.RsdtAddress != 0)
            {
                t.RootWarning = e;
                e = t.ReadRoot(t.Rsdp.RsdtAddress, false, out root);
            }
            if (!e.Ok)
            {
                t.Error = e;
                return t;
            }
            t.ListTables(root);
            return t;
        }

        /// <summary>The RSDP's bytes as the walk reads them: 36 (or 20 when only those can be read), more if its Length says so.</summary>
        public static byte[] ReadRsdpBytes(IPhysicalMemory memory, ulong address)
        {
            byte[] b = new byte[Rsdp.V2Length];
            if (!memory.TryRead(address, b))
            {
                b = new byte[Rsdp.V1Length];
                return memory.TryRead(address, b) ? b : null;
            }
            int need = Rsdp.NeededLength(b);
            if (need <= b.Length)
                return b;
            byte[] more = new byte[need];
            return memory.TryRead(address, more) ? more : b;
        }

        private AcpiError ReadRsdp()
        {
            if (RsdpAddress == 0)
                return AcpiError.Table(AcpiErrorKind.NoRsdp, AcpiSignature.Rsdp, 0, 0);
            byte[] b = ReadRsdpBytes(_memory, RsdpAddress);
            if (b == null)
                return AcpiError.Table(AcpiErrorKind.ReadFailed, AcpiSignature.Rsdp, Rsdp.V1Length, RsdpAddress);
            return Rsdp.TryParse(b, out Rsdp);
        }

        private AcpiError ReadRoot(ulong address, bool xsdt, out byte[] bytes)
        {
            uint sig = xsdt ? AcpiSignature.Xsdt : AcpiSignature.Rsdt;
            RootAddress = address;
            RootSignature = sig;
            AcpiError e = ReadWhole(address, sig, out bytes);
            if (!e.Ok)
                return e;
            RootLength = (uint)bytes.Length;
            return RootTable.TryParse(bytes, xsdt, out RootTable _);
        }

        private void ListTables(byte[] rootBytes)
        {
            RootTable.TryParse(rootBytes, RootSignature == AcpiSignature.Xsdt, out RootTable root);
            RootEntries = root.Count;
            int count = root.Count;
            if (count > MaxTables)
            {
                RootWarning = AcpiError.Table(AcpiErrorKind.LengthTooLarge, RootSignature, (ulong)count, MaxTables);
                count = MaxTables;
            }
            AcpiTableInfo[] list = new AcpiTableInfo[count + 2];
            int n = 0;
            for (int i = 0; i < count; i++)
                list[n++] = ReadHeader(root.Address(i), false);
            // The FADT names the DSDT and the FACS (ACPI 6.5 §5.2.9); they are not in the root.
            int fadt = IndexIn(list, n, AcpiSignature.Fadt);
            if (fadt >= 0 && Load(list[fadt], out byte[] fb).Ok && Fadt.TryParse(fb, out Fadt f).Ok)
            {
                if (f.Dsdt != 0)
                    list[n++] = ReadHeader(f.Dsdt, true);
                if (f.FirmwareControl != 0)
                    list[n++] = ReadHeader(f.FirmwareControl, true);
            }
            Tables = new AcpiTableInfo[n];
            for (int i = 0; i < n; i++)
                Tables[i] = list[i];
        }

        private AcpiTableInfo ReadHeader(ulong address, bool viaFadt)
        {
            AcpiTableInfo info = new AcpiTableInfo { Address = address, ViaFadt = viaFadt };
            Span<byte> h = stackalloc byte[8];
            if (address == 0)
                info.Error = AcpiError.Field(0, -1, "root entry holds physical address 0", 0, 0);
            else if (!_memory.TryRead(address, h))
                info.Error = AcpiError.Table(AcpiErrorKind.ReadFailed, 0, 8, address);
            else
            {
                info.Signature = Le.U32(h, 0);
                info.Length = Le.U32(h, 4);
            }
            return info;
        }

        /// <summary>Index in Tables of the first table with this signature and a readable header, or -1.</summary>
        public int IndexOf(uint signature) => IndexIn(Tables, Tables.Length, signature);

        private static int IndexIn(AcpiTableInfo[] list, int count, uint signature)
        {
            for (int i = 0; i < count; i++)
                if (list[i].Signature == signature && list[i].Error.Ok)
                    return i;
            return -1;
        }

        /// <summary>Reads the first table with this signature, whole (Length bytes); NotFound when none.</summary>
        public AcpiError Load(uint signature, out byte[] bytes)
        {
            bytes = null;
            int i = IndexOf(signature);
            if (i < 0)
                return AcpiError.Table(AcpiErrorKind.NotFound, signature, 0, 0);
            return Load(Tables[i], out bytes);
        }

        /// <summary>Reads one table whole. The caller's parser checks signature, length and checksum.</summary>
        public AcpiError Load(AcpiTableInfo info, out byte[] bytes)
        {
            bytes = null;
            if (!info.Error.Ok)
                return info.Error;
            return ReadWhole(info.Address, info.Signature, out bytes);
        }

        /// <summary>Reads the 8-byte signature/length prefix at <paramref name="address"/>, then Length bytes (bounded).</summary>
        private AcpiError ReadWhole(ulong address, uint signature, out byte[] bytes)
        {
            bytes = null;
            Span<byte> h = stackalloc byte[8];
            if (address == 0 || !_memory.TryRead(address, h))
                return AcpiError.Table(AcpiErrorKind.ReadFailed, signature, 8, address);
            uint length = Le.U32(h, 4);
            uint min = signature == AcpiSignature.Facs ? 8u : SdtHeader.Size;
            if (length < min)
                return AcpiError.Table(AcpiErrorKind.LengthTooSmall, signature, length, min);
            if (length > SdtHeader.MaxLength)
                return AcpiError.Table(AcpiErrorKind.LengthTooLarge, signature, length, SdtHeader.MaxLength);
            byte[] b = new byte[length];
            if (!_memory.TryRead(address, b))
                return AcpiError.Table(AcpiErrorKind.ReadFailed, signature, length, address);
            bytes = b;
            return AcpiError.None;
        }
    }
}
