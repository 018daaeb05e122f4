"""Realistic fedmsg envelopes (fedbadges 1.x `msg`) and datanommer histories.

Shapes follow the messages of the 2014 Fedora bus the sample rules were written for;
names and values are invented. Every float is non-integral: an integral float would
arrive in JavaScript as an int (see README.md, value model).
"""


def envelope(topic, body, username="apache", i=1):
    return {
        "i": i,
        "timestamp": 1396437285.467,
        "topic": "org.fedoraproject.prod." + topic,
        "username": username,
        "msg": body,
    }


MESSAGES = {
    "fas_sponsor": envelope(
        "fas.group.member.sponsor",
        {"agent": "ralph", "user": "toshio", "group": "sponsors"},
        username="fas",
    ),
    "fas_sponsor_ambassadors": envelope(
        "fas.group.member.sponsor",
        {"agent": "jsmith", "user": "alice", "group": "ambassadors"},
        username="fas",
    ),
    "fas_user_update": envelope(
        "fas.user.update",
        {"agent": "alice", "user": "alice", "fields": ["certificate", "timezone"]},
        username="fas",
    ),
    "fas_user_update_ssh": envelope(
        "fas.user.update", {"agent": "bob", "user": "bob", "fields": ["ssh_key"]}
    ),
    "bodhi_comment_karma": envelope(
        "bodhi.update.comment",
        {
            "agent": "bob",
            "comment": {
                "author": "bob",
                "karma": 1,
                "anonymous": False,
                "text": "Works for me",
                "timestamp": "2014-04-02 11:14:45",
                "update_title": "python-requests-2.2.1-1.fc19",
                "update_submitter": "ralph",
                "update_status": "testing",
                "update_request": "stable",
            },
        },
        username="bodhi",
    ),
    "bodhi_comment_negative": envelope(
        "bodhi.update.comment",
        {
            "agent": "carol",
            "comment": {
                "author": "carol",
                "karma": -1,
                "anonymous": True,
                "text": "Breaks login",
                "update_title": "gnome-shell-3.8.4-2.fc18",
                "update_submitter": "Ralph",
                "update_status": "stable",
                "update_request": None,
            },
        },
        username="bodhi",
    ),
    "bodhi_request_epel": envelope(
        "bodhi.update.request.testing",
        {
            "agent": "ralph",
            "update": {
                "title": "python-six-1.6.1-1.el6,python-requests-2.2.1-1.el6",
                "type": "security",
                "status": "pending",
                "submitter": "ralph",
                "karma": 0,
                "builds": [{"nvr": "python-six-1.6.1-1.el6"}, {"nvr": "python-requests-2.2.1-1.el6"}],
                "release": {"id_prefix": "FEDORA-EPEL", "name": "EL-6", "long_name": "Fedora EPEL 6"},
            },
        },
        username="bodhi",
    ),
    "bodhi_request_fedora": envelope(
        "bodhi.update.request.stable",
        {
            "agent": "dave",
            "update": {
                "title": "htop-1.0.3-1.fc20",
                "type": "bugfix",
                "status": "testing",
                "submitter": "dave",
                "karma": 3,
                "builds": [{"nvr": "htop-1.0.3-1.fc20"}],
                "release": {"id_prefix": "FEDORA", "name": "F20", "long_name": "Fedora 20"},
            },
        },
        username="bodhi",
    ),
    "koji_build_complete": envelope(
        "buildsys.build.state.change",
        {
            "build_id": 512345,
            "name": "htop",
            "version": "1.0.3",
            "release": "1.fc20",
            "owner": "dave",
            "old": 0,
            "new": 1,
            "attribute": "state",
            "instance": "primary",
        },
        username="koji",
    ),
    "koji_build_failed_arm": envelope(
        "buildsys.build.state.change",
        {
            "build_id": 98765,
            "name": "kernel",
            "version": "3.14.0",
            "release": "0.rc8.git0.1.fc21",
            "owner": "jwboyer",
            "old": 0,
            "new": 3,
            "attribute": "state",
            "instance": "arm",
        },
        username="koji",
    ),
    "tagger_create": envelope(
        "fedoratagger.tag.create",
        {
            "tag": {"dislike": 0, "like": 1, "package": "mattd", "tag": "awesome", "total": 1, "votes": 1},
            "user": {"anonymous": False, "rank": -1, "username": "ralph", "votes": 4},
            "vote": {"like": True, "user": {"anonymous": False, "username": "ralph"}},
        },
        username="threebean",
    ),
    "tagger_anonymous": envelope(
        "fedoratagger.tag.update",
        {
            "tag": {"like": 2, "package": "gimp", "tag": "graphics", "total": 2},
            "user": {"anonymous": True, "username": "anonymous"},
        },
    ),
    "tagger_user_none": envelope("fedoratagger.tag.create", {"user": None}),
    "wiki_user_page": envelope(
        "wiki.article.edit",
        {"title": "User:Ralph", "user": "Ralph", "minor_edit": False, "revid": 371654, "url": "https://fedoraproject.org/w/index.php?diff=371654"},
    ),
    "wiki_article": envelope(
        "wiki.article.edit",
        {"title": "Features/Python3.4", "user": "Toshio", "minor_edit": True, "revid": 371655},
    ),
    "trac_freemedia_fixed": envelope(
        "trac.ticket.update",
        {
            "agent": "ralph",
            "instance": {"base_url": "https://fedorahosted.org/freemedia", "project_name": "Fedora Freemedia"},
            "ticket": {"id": 1234, "status": "closed", "resolution": "fixed", "reporter": "eve"},
            "old_values": {"status": "new", "resolution": ""},
            "comment": "Sent a DVD",
        },
    ),
    "trac_other_project": envelope(
        "trac.ticket.update",
        {
            "agent": "ralph",
            "instance": {"project_name": "Fedora Infrastructure"},
            "ticket": {"id": 4321, "status": "assigned", "resolution": ""},
            "old_values": {"owner": "nobody"},
        },
    ),
    "git_docs_commit": envelope(
        "trac.git.receive",
        {
            "commit": {
                "path": "/srv/git/docs/install-guide.git",
                "username": "pbokoc",
                "branch": "master",
                "message": "Fix typo",
                "stats": {"files": {"en-US/Preface.xml": {"additions": 1, "deletions": 1, "lines": 2}}},
            }
        },
    ),
    "git_security_guide": envelope(
        "trac.git.receive",
        {"commit": {"path": "/srv/git/securityguide.git", "username": "eric", "branch": "master"}},
    ),
    "meetbot_classroom": envelope(
        "meetbot.meeting.complete",
        {
            "meeting_topic": "python basics",
            "attendees": {"zodbot": 2, "threebean": 2, "kushal": 11},
            "chairs": {},
            "topic": "",
            "url": "fedora-classroom.2014-04-02-13.00",
            "owner": "kushal",
            "channel": "#fedora-classroom",
        },
        username="daemon",
    ),
    "meetbot_small": envelope(
        "meetbot.meeting.complete",
        {"attendees": {"zodbot": 2, "threebean": 2}, "owner": "threebean", "channel": "#fedora-meeting"},
        username="daemon",
    ),
    "fedocal_vacation": envelope(
        "fedocal.meeting.new",
        {"agent": "pingou", "meeting": {"calendar_name": "vacation", "meeting_name": "pingou off"}, "calendar": {"calendar_name": "vacation"}},
    ),
    "kerneltest_upload": envelope(
        "kerneltest.upload.new",
        {"agent": "jforbes", "test": {"authenticated": True, "result": "PASS", "kernel_version": "3.14.0-1.fc20.x86_64"}},
    ),
    "pkgdb_retired": envelope(
        "pkgdb.package.update.status",
        {"agent": "toshio", "status": "Retired", "prev_status": "Approved", "package_name": "python-sqlobject"},
    ),
    "copr_build_ok": envelope(
        "copr.build.end",
        {"user": "msuchy", "copr": "copr-dev", "status": 1, "chroot": "fedora-20-x86_64", "build": 12345},
    ),
    "askbot_edit": envelope(
        "askbot.post.edit",
        {"agent": "mizmo", "post": {"id": 41, "text": "Use dnf", "summary": "Use dnf"}, "thread": {"title": "How to update?", "tagnames": ["dnf", "updates"]}, "created": False},
    ),
    "envelope_without_msg": {"i": 3, "timestamp": 1396437299.5, "topic": "org.fedoraproject.prod.fedbadges.person.login.first", "username": "fedbadges"},
    "envelope_empty_msg": envelope("fedbadges.badge.award", {}),
}


def rows(*bodies):
    return list(bodies)


HISTORIES = {
    "koji_mixed": [
        MESSAGES["koji_build_complete"]["msg"],
        MESSAGES["koji_build_failed_arm"]["msg"],
        {"build_id": 1, "name": "htop", "owner": "dave", "old": 1, "new": 1, "instance": "ppc"},
        {"build_id": 2, "name": "htop", "owner": "dave", "old": 0, "new": 3, "instance": "primary"},
        {"build_id": 3, "name": "htop", "owner": "dave", "old": 0, "new": 1},
    ],
    "bodhi_updates": [
        MESSAGES["bodhi_request_epel"]["msg"],
        MESSAGES["bodhi_request_fedora"]["msg"],
        MESSAGES["bodhi_request_epel"]["msg"],
    ],
    "bodhi_comments": [
        MESSAGES["bodhi_comment_karma"]["msg"],
        MESSAGES["bodhi_comment_negative"]["msg"],
        {"agent": "ann", "comment": {"author": "ann", "karma": 1, "update_submitter": "ralph"}},
        {"agent": "bea", "comment": {"author": "bea", "karma": 0, "update_submitter": "ralph"}},
    ],
    "trac_tickets": [
        MESSAGES["trac_freemedia_fixed"]["msg"],
        MESSAGES["trac_freemedia_fixed"]["msg"],
        MESSAGES["trac_other_project"]["msg"],
    ],
    "git_commits": [
        MESSAGES["git_docs_commit"]["msg"],
        MESSAGES["git_security_guide"]["msg"],
        {"commit": {"path": "/srv/git/fedora-web.git", "username": "eric"}},
        {"other": True},
    ],
    "copr_builds": [
        MESSAGES["copr_build_ok"]["msg"],
        {"user": "msuchy", "status": 0},
        {"user": "msuchy", "status": 1},
    ],
    "empty": [],
}
