"""Publishing a finished build (`briefgen publish`), one module per kind of target.

  local.py    the build to publish, read back through the output folder's manifest
  plan.py     upload / update / delete / unchanged from both sides' state; delete limits
  target.py   TARGET names and options -> Settings; the Target interface
  git.py      git:REMOTE[#BRANCH]: a commit on a branch (gh-pages), pushed; history kept
  s3.py       s3://BUCKET[/PREFIX]: changed objects only, with Content-Type, Cache-Control
  folder.py   DIR: a mirror in a local folder, symlinks never followed
  command.py  the `publish` subcommand: build, refuse what must not go out, plan, apply

Dependencies point one way: command -> target -> git/s3/folder -> plan/local -> write.
Every target computes its plan from what the destination holds now, so an interrupted
publish is completed by running it again.
"""

from briefgen.publish.command import register

__all__ = ["register"]
