#!/bin/sh
# Install (or upgrade) Kaifaqu from this bundle into PREFIX, without any network:
#   sudo ./install.sh /opt/kaifaqu
# Checks the server's Python, creates PREFIX/venv from the bundled wheels only (--no-index), puts
# the static and front-end files in place, writes PREFIX/kaifaqu.env documenting every setting
# (an existing one is kept; the new template goes beside it), writes the systemd units for PREFIX
# into PREFIX/systemd/ and prints the next steps. PYTHON=/path/to/python3.11 picks the interpreter.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/bundle.env"  # VERSION, PYTHON_VERSION, ARCH
prefix=${1:-}
if [ -z "$prefix" ]; then
    echo "用法 usage: $0 PREFIX   (例如 e.g. $0 /opt/kaifaqu)" >&2
    exit 2
fi
mkdir -p "$prefix"
prefix=$(cd "$prefix" && pwd)

fail() {
    echo "install.sh: $*" >&2
    exit 1
}

# --- the bundle as built (a file damaged on the way in fails here) ---
if command -v sha256sum >/dev/null 2>&1; then
    (cd "$here" && sha256sum --quiet --check SHA256SUMS) || fail "安装包文件已损坏(校验和不符)。The bundle is damaged."
fi

# --- the Python the wheels were built for ---
python=${PYTHON:-python$PYTHON_VERSION}
if ! command -v "$python" >/dev/null 2>&1; then
    found=$(python3 --version 2>&1 || echo "no python3")
    fail "需要 Python $PYTHON_VERSION ($ARCH),未找到 $python(本机 python3: $found)。
  This bundle's wheels are built for CPython $PYTHON_VERSION on $ARCH; install it from the OS
  vendor's repository (README.md, 'Python $PYTHON_VERSION'), or set PYTHON=/path/to/python$PYTHON_VERSION."
fi
actual=$("$python" -c 'import platform, sys; print("%d.%d %s" % (sys.version_info[0], sys.version_info[1], platform.machine()))')
if [ "$actual" != "$PYTHON_VERSION $ARCH" ]; then
    fail "$python 是 Python $actual,本安装包需要 Python $PYTHON_VERSION $ARCH。
  The wheels in this bundle are for CPython $PYTHON_VERSION on $ARCH; see README.md."
fi
"$python" -c 'import ensurepip, venv' 2>/dev/null \
    || fail "$python 缺少 venv/ensurepip 模块:请安装操作系统的 python$PYTHON_VERSION-venv(或 python3-venv)软件包"

# --- the virtual environment, from the bundled wheels only ---
echo "== 创建虚拟环境 virtual environment: $prefix/venv"
# the scripts in a venv name its folder, so it is made in place; the previous one is kept aside
# and put back if the install fails
rm -rf "$prefix/venv.previous"
if [ -d "$prefix/venv" ]; then
    mv "$prefix/venv" "$prefix/venv.previous"
fi
restore_previous() {
    rm -rf "$prefix/venv"
    if [ -d "$prefix/venv.previous" ]; then
        mv "$prefix/venv.previous" "$prefix/venv"
    fi
    fail "从安装包的 wheel 安装失败(见上),未作改动。The bundled wheels did not install (see above); nothing changed."
}
"$python" -m venv "$prefix/venv" || restore_previous
# no index, no configuration file (it could name one), no cache: the bundle's wheels or nothing
PIP_CONFIG_FILE=/dev/null PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 \
    "$prefix/venv/bin/python" -m pip install --quiet --no-index --no-cache-dir \
    --find-links "$here/wheels" --requirement "$here/requirements.txt" "kaifaqu==$VERSION" \
    || restore_previous

# --- front-end files and the collected static files ---
rm -rf "$prefix/node_modules"
cp -R "$here/node_modules" "$prefix/node_modules"
mkdir -p "$prefix/var/static" "$prefix/var/media"
cp -R "$here/static/." "$prefix/var/static/"
# newer than the installed sources, so the server does not collect them again at start
touch "$prefix/var/static/staticfiles.json"

# --- configuration ---
template="$prefix/kaifaqu.env.new"
secret=$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')
sed -e "s|@PREFIX@|$prefix|g" -e "s|@SECRET_KEY@|$secret|" -e "s|@HOSTNAME@|$(hostname)|" \
    "$here/deploy/kaifaqu.env.in" > "$template"
if [ -f "$prefix/kaifaqu.env" ]; then
    echo "== 保留现有配置 keeping $prefix/kaifaqu.env (the new template: $template)"
else
    mv "$template" "$prefix/kaifaqu.env"
    chmod 640 "$prefix/kaifaqu.env"
fi

# --- deployment files for this prefix ---
rm -rf "$prefix/systemd" "$prefix/nginx"
mkdir -p "$prefix/systemd"
for unit in "$here"/deploy/systemd/*; do
    sed "s|/opt/kaifaqu|$prefix|g" "$unit" > "$prefix/systemd/$(basename "$unit")"
done
cp -R "$here/deploy/nginx" "$prefix/nginx"
cp "$here/RELEASES" "$prefix/RELEASES"
echo "$VERSION" > "$prefix/VERSION"

cat <<NEXT

Kaifaqu $VERSION 已安装到 installed in $prefix. 下一步 Next steps (README.md says more):
  1. 编辑配置 Edit $prefix/kaifaqu.env: KAIFAQU_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL).
  2. 系统用户 A system user owning the data:
       useradd --system --home-dir $prefix --shell /sbin/nologin kaifaqu
       chown -R kaifaqu:kaifaqu $prefix/var; chgrp kaifaqu $prefix/kaifaqu.env
  3. 升级时先备份 On an upgrade, back up first:  (as kaifaqu) $prefix/venv/bin/kaifaqu backup DIR
  4. 数据库迁移 Migrate (as kaifaqu, with the configuration loaded):
       sudo -u kaifaqu sh -c 'set -a; . $prefix/kaifaqu.env; set +a; $prefix/venv/bin/kaifaqu migrate'
  5. 服务 Services:  cp $prefix/systemd/* /etc/systemd/system/ && systemctl daemon-reload
       systemctl enable --now kaifaqu-web kaifaqu-worker@1 kaifaqu-worker@2 kaifaqu-backup.timer
     (an upgrade: systemctl restart kaifaqu-web 'kaifaqu-worker@*')
  6. nginx:  $prefix/venv/bin/kaifaqu nginx-site > /etc/nginx/conf.d/kaifaqu.conf  (then the
       certificate paths, nginx -t, systemctl reload nginx)
  7. 检查 Check:  $prefix/venv/bin/kaifaqu doctor;  curl http://127.0.0.1:8000/readyz
NEXT
