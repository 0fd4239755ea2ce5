# SPDX-License-Identifier: MIT
# Charts of bench/run.sh, after the seed's "Rendimiento" slide: write and
# read time per packet, with and without TLS, brisa beside its peers.
#   gnuplot -e "dir='bench/results'; fmt='png'; pl='same'" bench/plot.gp
# Reads the .dat files bench/report.py writes into dir for placement pl
# (same: client on the broker's CPU; split: on another); writes
# dir/rw_<pl>.<fmt> and dir/tput_connect_<pl>.<fmt>.
if (!exists("dir")) dir = "bench/results"
if (!exists("fmt")) fmt = "png"
if (!exists("pl")) pl = "same"
where = (pl eq "same") ? "client on the broker's CPU" : "client on another CPU than the broker's"

set datafile missing "NaN"
set style data histogram
set style histogram cluster gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set grid ytics lc rgb "#dddddd"
set key tmargin center horizontal samplen 1.5 font ",9"
set xtics rotate by -30 nomirror
set bmargin 4
set linetype 1 lc rgb "#1b7837"
set linetype 2 lc rgb "#2166ac"
set linetype 3 lc rgb "#d6604d"
set linetype 4 lc rgb "#f4a582"
set linetype 5 lc rgb "#92c5de"
set linetype 6 lc rgb "#878787"

# plot.cfg says which panels have data (has_none, has_oneway, ...).
load dir."/plot.cfg"
# Columns: the cell label, then one per library (named in the header).
stats dir."/connect_".pl.".dat" using 0 nooutput
ncol = STATS_columns

# panel(file, ok): the histogram of one .dat file, or an empty frame.
panel(file) = sprintf("plot for [i=2:ncol] '%s' using i:xtic(1) title columnheader(i)", file)
empty = "set label 9 'no data' at graph 0.5,0.5 center; plot [0:1][1:10] 100 notitle; unset label 9"

if (fmt eq "svg") {
    set terminal svg size 1400,1000 dynamic font "sans,11"
} else {
    set terminal pngcairo size 1400,1000 font "sans,10"
}

set output dir."/rw_".pl.".".fmt
set multiplot layout 2,2 title "MQTT packet write and read time (µs, median, log scale) -- brisa beside the floor, libmosquitto and Paho; ".where scale 1,0.95 offset 0,-0.025
set logscale y
set ylabel "µs"
set title "Write with TLS (one-way)"
eval(has_oneway ? panel(dir."/rw_write_oneway_".pl.".dat") : empty)
set title "Read with TLS (one-way)"
eval(has_oneway ? panel(dir."/rw_read_oneway_".pl.".dat") : empty)
set title "Write without TLS"
eval(has_none ? panel(dir."/rw_write_none_".pl.".dat") : empty)
set title "Read without TLS"
eval(has_none ? panel(dir."/rw_read_none_".pl.".dat") : empty)
unset multiplot

set output dir."/tput_connect_".pl.".".fmt
set multiplot layout 1,2 title "QoS 0 throughput and connect time; ".where scale 1,0.95 offset 0,-0.025
set title "QoS 0 throughput (messages/s, log scale)"
set ylabel "messages/s"
eval(has_tput ? panel(dir."/tput_".pl.".dat") : empty)
set title "Connect: TCP + TLS handshake + CONNACK (ms, median, log scale)"
set ylabel "ms"
eval(has_connect ? panel(dir."/connect_".pl.".dat") : empty)
unset multiplot
unset output
