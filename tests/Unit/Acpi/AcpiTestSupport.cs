using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using Hv.Acpi;
using Hv.Diagnostics;

namespace Hv.Tests.Acpi
{
    /// <summary>
    /// The tables captured from QEMU 7.2 + OVMF by tools/acpi-fixtures.sh (Fixtures/CONFIG/SIG.bin,
    /// and tables.txt with each table's physical address).
    /// </summary>
    static class Fixture
    {
        /// <summary>q35, -smp 4, -device intel-iommu,intremap=on: has a DMAR.</summary>
        public const string Intel = "q35-intel-iommu";
        /// <summary>q35, -smp 2, -device amd-iommu: has an IVRS.</summary>
        public const string Amd = "q35-amd-iommu";

        public static readonly string[] Configs = { Intel, Amd };

        static string Dir(string config) => Path.Combine(AppContext.BaseDirectory, "Acpi", "Fixtures", config);

        /// <summary>A fresh copy of a fixture table, so tests may corrupt it.</summary>
        public static byte[] Bytes(string config, string name) => File.ReadAllBytes(Path.Combine(Dir(config), name + ".bin"));

        /// <summary>(name, address, length) of every table of a config, in dump order (RSDP first).</summary>
        public static List<(string Name, ulong Address, int Length)> Manifest(string config)
        {
            var list = new List<(string, ulong, int)>();
            foreach (string line in File.ReadAllLines(Path.Combine(Dir(config), "tables.txt")))
            {
                string[] f = line.Split(' ');
                list.Add((f[0], ulong.Parse(f[1].Substring(2), NumberStyles.HexNumber), int.Parse(f[2])));
            }
            return list;
        }

        public static ulong RsdpAddress(string config) => Manifest(config)[0].Address;

        /// <summary>Physical memory holding every table of a config at its captured address.</summary>
        public static FakeMemory Memory(string config)
        {
            FakeMemory m = new FakeMemory();
            foreach (var t in Manifest(config))
                m.Put(t.Address, Bytes(config, t.Name));
            return m;
        }
    }

    /// <summary>Sparse physical memory: a read succeeds only inside one placed region.</summary>
    sealed class FakeMemory : IPhysicalMemory
    {
        readonly List<(ulong Address, byte[] Data)> _regions = new List<(ulong, byte[])>();

        public int Reads { get; private set; }

        public FakeMemory Put(ulong address, byte[] data)
        {
            _regions.RemoveAll(r => r.Address == address);
            _regions.Add((address, data));
            return this;
        }

        public byte[] At(ulong address) => _regions.Find(r => r.Address == address).Data;

        public bool TryRead(ulong address, Span<byte> destination)
        {
            Reads++;
            foreach (var (start, data) in _regions)
            {
                if (address < start || address - start > (ulong)data.Length)
                    continue;
                ulong offset = address - start;
                if ((ulong)destination.Length > (ulong)data.Length - offset)
                    continue;
                data.AsSpan((int)offset, destination.Length).CopyTo(destination);
                return true;
            }
            return false;
        }
    }

    sealed class ListSink : ILogSink
    {
        public readonly List<string> Lines = new List<string>();
        public void WriteLine(string line) => Lines.Add(line);
    }

    static class Bytes
    {
        public static void U16(byte[] b, int at, ushort v) { b[at] = (byte)v; b[at + 1] = (byte)(v >> 8); }

        public static void U32(byte[] b, int at, uint v)
        {
            for (int i = 0; i < 4; i++) b[at + i] = (byte)(v >> (8 * i));
        }

        public static void U64(byte[] b, int at, ulong v)
        {
            for (int i = 0; i < 8; i++) b[at + i] = (byte)(v >> (8 * i));
        }

        /// <summary>Makes the first <paramref name="count"/> bytes sum to 0 by adjusting the byte at <paramref name="at"/>.</summary>
        public static void FixChecksum(byte[] b, int at = 9, int count = -1)
        {
            if (count < 0) count = Math.Min(b.Length, (int)BitConverter.ToUInt32(b, 4));
            b[at] = 0;
            int sum = 0;
            for (int i = 0; i < count; i++) sum += b[i];
            b[at] = (byte)(256 - (sum & 0xFF));
        }

        /// <summary>A table whose header Length and checksum are set for its new size.</summary>
        public static byte[] Resized(byte[] table, int length)
        {
            byte[] b = new byte[length];
            Array.Copy(table, b, Math.Min(length, table.Length));
            U32(b, 4, (uint)length);
            FixChecksum(b);
            return b;
        }

        /// <summary>A copy with a new body appended after the header's fixed part, Length and checksum fixed.</summary>
        public static byte[] WithBody(byte[] table, int fixedPart, params byte[] body)
        {
            byte[] b = new byte[fixedPart + body.Length];
            Array.Copy(table, b, fixedPart);
            Array.Copy(body, 0, b, fixedPart, body.Length);
            U32(b, 4, (uint)b.Length);
            FixChecksum(b);
            return b;
        }
    }
}
