import sys

import dulwich.diff_tree
import dulwich.objects
import dulwich.pack
from dulwich.objects import Blob, Commit, Tree
from dulwich.repo import Repo

from pyfaasm.core import write_output


def commit(repo, tree, parents, message):
    c = Commit()
    c.tree = tree.id
    c.parents = parents
    c.author = c.committer = b"Faasm <faasm@example.org>"
    c.author_time = c.commit_time = 1700000000
    c.author_timezone = c.commit_timezone = 0
    c.message = message
    repo.object_store.add_object(c)
    return c


def tree_of(repo, files):
    t = Tree()
    for name, data in sorted(files.items()):
        b = Blob.from_string(data)
        repo.object_store.add_object(b)
        t.add(name, 0o100644, b.id)
    repo.object_store.add_object(t)
    return t


def faasm_main():
    repo = Repo.init("/tmp/repo", mkdir=True)
    t1 = tree_of(repo, {b"README": b"hello\n", b"gone.txt": b"bye\n"})
    c1 = commit(repo, t1, [], b"first\n")
    t2 = tree_of(repo, {b"README": b"hello faasm\n", b"new.py": b"print(1)\n"})
    c2 = commit(repo, t2, [c1.id], b"second\n")
    repo.refs[b"refs/heads/master"] = c2.id
    repo.close()

    # read it back from /tmp through a new Repo
    again = Repo("/tmp/repo")
    head = again[again.head()]
    parent = again[head.parents[0]]
    changes = sorted(
        f"{ch.type}:{(ch.old.path or b'').decode()}>{(ch.new.path or b'').decode()}"
        for ch in dulwich.diff_tree.tree_changes(again.object_store, parent.tree, head.tree))
    readme = again[again[head.tree][b"README"][1]].data.decode().strip()
    c = {m: sys.modules["dulwich." + m] for m in ("_objects", "_pack", "_diff_tree")}
    print("c extensions:", dulwich.objects.parse_tree is c["_objects"].parse_tree,
          dulwich.pack.apply_delta is c["_pack"].apply_delta,
          dulwich.diff_tree._is_tree is c["_diff_tree"]._is_tree,
          ",".join(sorted(set(m.__spec__.origin for m in c.values()))))
    write_output(";".join([
        "head=" + head.id.decode(),
        "message=" + head.message.decode().strip(),
        "readme=" + readme,
        "changes=" + ",".join(changes),
    ]).encode("utf-8"))
