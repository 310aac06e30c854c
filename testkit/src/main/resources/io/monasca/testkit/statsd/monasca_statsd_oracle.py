# Sends the metrics described on stdin through the reference monasca-statsd client (monascastatsd), to
# 127.0.0.1:<port>, then a marker datagram. One metric per line, tab-separated:
#   KIND  name-hex  value  rate  [key-hex=value-hex ...]
# KIND is COUNTER, GAUGE or TIMER; strings are hex of their UTF-8 bytes; numbers are "i<int>" or
# "f<float.hex()>" so Python gets exactly the int or float the Java side meant.
import random
import socket
import sys

import monascastatsd

# With a sample rate below 1 the client sends only when random.random() <= rate: make it always send.
random.random = lambda: 0.0


def text(hex_utf8):
    return bytes.fromhex(hex_utf8).decode('utf-8')


def number(field):
    return int(field[1:]) if field[0] == 'i' else float.fromhex(field[1:])


port = int(sys.argv[1])
buffer_size = int(sys.argv[2])  # 0: one datagram per metric, else the client's buffered mode
connection = monascastatsd.Connection(host='127.0.0.1', port=port)
client = monascastatsd.Client(connection=connection)
if buffer_size:
    connection.open_buffer(buffer_size)
for row in sys.stdin.read().splitlines():
    fields = row.split('\t')
    kind, name, value, rate = fields[0], text(fields[1]), number(fields[2]), number(fields[3])
    dimensions = {}
    for pair in fields[4:]:
        key, val = pair.split('=')
        dimensions[text(key)] = text(val)
    if kind == 'COUNTER':
        client.get_counter(name).increment(value, dimensions=dimensions, sample_rate=rate)
    elif kind == 'GAUGE':
        client.get_gauge().send(name, value, dimensions=dimensions, sample_rate=rate)
    else:
        client.get_timer().timing(name, value, dimensions=dimensions, sample_rate=rate)
if buffer_size:
    connection.close_buffer()
marker = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
marker.sendto(sys.argv[3].encode('ascii'), ('127.0.0.1', port))
